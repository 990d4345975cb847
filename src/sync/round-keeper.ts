import * as z from 'zod';
import { ENTITIES, type EntityName } from '../model/index.ts';
import type { RoundStateStore } from '../store/index.ts';
import type { PlanBatch, StoredOutcome } from './push.ts';
import type { EntityReport, PlannedEntity } from './round-types.ts';

/**
 * Where a round got to between two steps: plain data, checked with zod wherever it is read back (a sync job's
 * data in Redis). One process running a round keeps it in a variable.
 */
export const RoundState = z.strictObject({
  /** The run's id: the run log's key, the pair lock's owner and the key of its saved parts. */
  runId: z.uuid(),
  /** The entity, as an index into the round order of the entities the config syncs. */
  index: z.int().nonnegative(),
  step: z.enum(['plan', 'convert', 'record', 'commit']),
  /** When the round started (ms since the epoch). */
  startedAt: z.number(),
  /** API calls the round's own steps made so far, per connection (push batches report theirs). */
  calls: z.record(z.string(), z.number()),
});
export type RoundState = z.infer<typeof RoundState>;

/** Which batch of an entity's plan goes when: its writes' connection (none for conversions), and its phase. */
export const BatchInfo = z.strictObject({
  /** The connection the batch writes to or converts in. */
  connection: z.string(),
  /** A batch of conversions rather than writes. */
  conversions: z.boolean(),
  /**
   * The batch waits for the entity's other writes: its conversions (a Lead being converted cannot be updated), or
   * writes that carry the id of a record the others create.
   */
  late: z.boolean(),
});
export type BatchInfo = z.infer<typeof BatchInfo>;

/** An entity's plan as kept between the steps: the planned entity without its writes, and its batches. */
export type StoredPending = PlannedEntity & { readonly batches: readonly BatchInfo[] };

/**
 * What the steps of a round hand each other: in memory when one process runs the round, in the state store when its
 * steps run as jobs on any worker. Every part read back from the store is checked (`PARTS`), so a part written by
 * another version, or damaged, fails its step with the part named instead of going on with the wrong shape.
 */
export interface RoundKeeper {
  savePlan(
    runId: string,
    entity: EntityName,
    pending: StoredPending,
    batches: readonly PlanBatch[],
  ): Promise<void>;
  pending(runId: string, entity: EntityName): Promise<StoredPending | undefined>;
  batch(runId: string, entity: EntityName, n: number): Promise<PlanBatch | undefined>;
  /** Marks a batch's push as started; true when it had been started before (by an attempt that died). */
  startBatch(runId: string, entity: EntityName, n: number): Promise<boolean>;
  saveOutcome(runId: string, entity: EntityName, n: number, outcome: StoredOutcome): Promise<void>;
  outcomes(runId: string, entity: EntityName): Promise<StoredOutcome[]>;
  saveReport(runId: string, entity: EntityName, report: EntityReport): Promise<void>;
  report(runId: string, entity: EntityName): Promise<EntityReport | undefined>;
  /** Drops the round's parts (and, in the store, those of rounds abandoned before `staleBefore`). */
  drop(runId: string, staleBefore?: Date): Promise<void>;
}

/** Keys of a round's parts in the state store; they sort in batch order. */
const pad = (n: number) => String(n).padStart(5, '0');
export const roundKeys = {
  pending: (entity: EntityName) => `p/${entity}`,
  batch: (entity: EntityName, n: number) => `b/${entity}/${pad(n)}`,
  started: (entity: EntityName, n: number) => `s/${entity}/${pad(n)}`,
  outcome: (entity: EntityName, n: number) => `o/${entity}/${pad(n)}`,
  outcomes: (entity: EntityName) => `o/${entity}/`,
  report: (entity: EntityName) => `r/${entity}`,
} as const;

const counts = z.record(z.string(), z.number());
const externalKey = { connection: z.string(), object: z.string(), externalId: z.string() };
const link = z.looseObject({ ...externalKey, entity: z.enum(ENTITIES), unifiedId: z.string() });
const quarantineEntry = z.looseObject({
  entity: z.enum(ENTITIES),
  ...externalKey,
  field: z.string(),
  reason: z.string(),
});
const plannedWrite = z.looseObject({
  entity: z.enum(ENTITIES),
  unifiedId: z.string(),
  connection: z.string(),
  object: z.string(),
  create: z.boolean(),
  hash: z.string(),
  write: z.looseObject({ ref: z.string(), fields: z.record(z.string(), z.unknown()) }),
});
const plannedConversion = z.looseObject({
  unifiedId: z.string(),
  connection: z.string(),
  conversion: z.looseObject({ ref: z.string(), personId: z.string() }),
});
const report = z.looseObject({
  read: counts,
  changed: z.number(),
  creates: counts,
  updates: counts,
  conversions: z.number(),
  quarantined: z.number(),
});

/**
 * The shape of each part where the steps read it. Record values inside stay as the CRMs and the mapping gave them;
 * what the steps act on (ids, targets, counts, keys) is checked.
 */
const PARTS = {
  pending: z.looseObject({
    entity: z.enum(ENTITIES),
    plan: z.looseObject({
      snapshots: z.array(
        z.looseObject({
          unifiedId: z.string(),
          entity: z.enum(ENTITIES),
          data: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
    quarantined: z.array(quarantineEntry),
    known: z.array(z.looseObject({ ...externalKey, unifiedId: z.string(), hash: z.string() })),
    read: z.array(z.looseObject(externalKey)),
    cursors: z.array(
      z.strictObject({
        connection: z.string(),
        object: z.string(),
        cursor: z.strictObject({ modifiedAt: z.string(), id: z.string(), pulledAt: z.string().optional() }),
      }),
    ),
    report,
    dealAccounts: z.array(z.string()),
    dealPeople: z.array(z.string()).optional(),
    batches: z.array(BatchInfo),
  }),
  batch: z.strictObject({ writes: z.array(plannedWrite), conversions: z.array(plannedConversion) }),
  outcome: z.strictObject({
    created: counts,
    updated: counts,
    converted: z.number(),
    quarantined: z.array(quarantineEntry),
    links: z.array(link),
    written: z.array(z.looseObject({ ...externalKey, hash: z.string() })),
    failed: z.array(z.string()),
  }),
  report,
} as const;

/** Reads a part back, checked: a part of the wrong shape is named with what is wrong. */
function checked<T>(part: keyof typeof PARTS, runId: string, key: string, body: unknown): T {
  const result = PARTS[part].safeParse(body);
  if (!result.success)
    throw new Error(
      `round ${runId}: its saved ${part} ${key} is not readable: ${z.prettifyError(result.error)}`,
    );
  return result.data as T;
}

/** A round's parts in the state store, for rounds whose steps run as jobs in any process. */
export function storeKeeper(store: RoundStateStore): RoundKeeper {
  const one = async <T>(part: keyof typeof PARTS, runId: string, key: string): Promise<T | undefined> => {
    const [entry] = await store.roundState(runId, key);
    return entry?.key === key ? checked<T>(part, runId, key, entry.body) : undefined;
  };
  return {
    async savePlan(runId, entity, pending, batches) {
      // The batches first, the plan last: a saved plan means its batches are all there.
      await store.saveRoundState(
        runId,
        batches.map((body, n) => ({ key: roundKeys.batch(entity, n), body })),
      );
      await store.saveRoundState(runId, [{ key: roundKeys.pending(entity), body: pending }]);
    },
    pending: (runId, entity) => one('pending', runId, roundKeys.pending(entity)),
    batch: (runId, entity, n) => one('batch', runId, roundKeys.batch(entity, n)),
    async startBatch(runId, entity, n) {
      const key = roundKeys.started(entity, n);
      if ((await store.roundState(runId, key)).length > 0) return true;
      await store.saveRoundState(runId, [{ key, body: true }]);
      return false;
    },
    saveOutcome: (runId, entity, n, outcome) =>
      store.saveRoundState(runId, [{ key: roundKeys.outcome(entity, n), body: outcome }]),
    async outcomes(runId, entity) {
      return (await store.roundState(runId, roundKeys.outcomes(entity))).map((e) =>
        checked<StoredOutcome>('outcome', runId, e.key, e.body),
      );
    },
    saveReport: (runId, entity, body) =>
      store.saveRoundState(runId, [{ key: roundKeys.report(entity), body }]),
    report: (runId, entity) => one('report', runId, roundKeys.report(entity)),
    drop: (runId, staleBefore) => store.dropRoundState(runId, staleBefore),
  };
}

/** A round's parts in memory, for a round one process runs from start to end (and for a dry run). */
export function memoryKeeper(): RoundKeeper {
  const parts = new Map<string, unknown>();
  const at = (runId: string, key: string) => `${runId}\u0000${key}`;
  const get = <T>(runId: string, key: string) => parts.get(at(runId, key)) as T | undefined;
  return {
    async savePlan(runId, entity, pending, batches) {
      for (const [n, batch] of batches.entries()) parts.set(at(runId, roundKeys.batch(entity, n)), batch);
      parts.set(at(runId, roundKeys.pending(entity)), pending);
    },
    pending: async (runId, entity) => get(runId, roundKeys.pending(entity)),
    batch: async (runId, entity, n) => get(runId, roundKeys.batch(entity, n)),
    async startBatch(runId, entity, n) {
      const key = at(runId, roundKeys.started(entity, n));
      const before = parts.has(key);
      parts.set(key, true);
      return before;
    },
    saveOutcome: async (runId, entity, n, outcome) => {
      parts.set(at(runId, roundKeys.outcome(entity, n)), outcome);
    },
    outcomes: async (runId, entity) => {
      const prefix = at(runId, roundKeys.outcomes(entity));
      return [...parts.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, outcome]) => outcome as StoredOutcome);
    },
    saveReport: async (runId, entity, report) => {
      parts.set(at(runId, roundKeys.report(entity)), report);
    },
    report: async (runId, entity) => get(runId, roundKeys.report(entity)),
    drop: async (runId) => {
      for (const key of [...parts.keys()]) if (key.startsWith(`${runId}\u0000`)) parts.delete(key);
    },
  };
}
