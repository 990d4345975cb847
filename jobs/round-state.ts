import type { EntityName } from '../src/model/index.ts';
import type { RoundStateStore } from '../src/store/index.ts';
import type { PlanBatch, StoredOutcome } from '../src/sync/push.ts';
import type { EntityReport, PlannedEntity } from '../src/sync/round-types.ts';

/**
 * Where a round split into jobs keeps its work between steps, in the state store under its run id (never in
 * Redis: batches hold record values). Keys sort in batch order.
 */
const pad = (n: number) => String(n).padStart(5, '0');
export const roundKeys = {
  /** An entity's plan, less its writes: what the record step needs once the batches are done. */
  pending: (entity: EntityName) => `p/${entity}`,
  batch: (entity: EntityName, n: number) => `b/${entity}/${pad(n)}`,
  /** Set when a batch's push starts: a batch started before is pushed without the plan's "known new" shortcuts. */
  started: (entity: EntityName, n: number) => `s/${entity}/${pad(n)}`,
  outcome: (entity: EntityName, n: number) => `o/${entity}/${pad(n)}`,
  outcomes: (entity: EntityName) => `o/${entity}/`,
  report: (entity: EntityName) => `r/${entity}`,
} as const;

/**
 * An entity's stored plan: the planned entity without its writes, the queue of each batch, and the batches that
 * wait for the others (writes carrying the id of a record the round creates).
 */
export type StoredPending = PlannedEntity & {
  readonly batchQueues: readonly string[];
  readonly afterWrites?: readonly number[];
};

async function one<T>(store: RoundStateStore, runId: string, key: string): Promise<T | undefined> {
  const [entry] = await store.roundState(runId, key);
  return entry?.key === key ? (entry.body as T) : undefined;
}

export const loadPending = (store: RoundStateStore, runId: string, entity: EntityName) =>
  one<StoredPending>(store, runId, roundKeys.pending(entity));

export const loadBatch = (store: RoundStateStore, runId: string, entity: EntityName, n: number) =>
  one<PlanBatch>(store, runId, roundKeys.batch(entity, n));

export async function loadOutcomes(
  store: RoundStateStore,
  runId: string,
  entity: EntityName,
): Promise<StoredOutcome[]> {
  return (await store.roundState(runId, roundKeys.outcomes(entity))).map((e) => e.body as StoredOutcome);
}

export const loadReport = (store: RoundStateStore, runId: string, entity: EntityName) =>
  one<EntityReport>(store, runId, roundKeys.report(entity));
