import { randomUUID } from 'node:crypto';
import { ConnectorFailure } from '../connector/errors.ts';
import type { EntityName } from '../model/index.ts';
import type { IdentityLink, NewQuarantineEntry } from '../store/index.ts';
import { durationMs, type SyncContext } from './context.ts';
import { RoundInterrupted } from './interrupted.ts';
import { profileOf } from './person-objects.ts';
import {
  conversionKey,
  mergeOutcomes,
  type PlanBatch,
  type PushOutcome,
  pushPlan,
  splitPlan,
  storeOutcome,
  wouldPush,
} from './push.ts';
import { refused, refusedWrite, WHOLE_RECORD } from './quarantine-entries.ts';
import { entitiesOf, planStep, recordStep, summary, sumReports } from './round.ts';
import type { BatchInfo, RoundKeeper, RoundState, StoredPending } from './round-keeper.ts';
import type { EntityReport, SyncReport } from './round-types.ts';

export { RoundInterrupted } from './interrupted.ts';

/*
 * The steps of a round, defined once: start, plan an entity, push a batch, record the entity, commit (or abandon).
 * `runSync` runs them one after another in one process; the background worker runs each as (part of) a job, on
 * any worker, and saves the round's state between them. Either way every step reads what the earlier ones left in
 * the round's keeper (in memory, or the state store) and leaves its own result there.
 */

/** What every step works with: the round's context, where its parts are kept, and whether it is a dry run. */
export interface Round {
  readonly ctx: SyncContext;
  readonly keeper: RoundKeeper;
  /** Plans and reports, writes nothing: batches are "pushed" by `wouldPush`, the run log is left alone. */
  readonly dryRun?: boolean;
}

/** The run log's entries of a round: one start, one end with its summary. Both ways of running a round use it. */
export const runLog = {
  /** A new round's state, not yet logged (a worker saves it in its job first, then logs it with `open`). */
  begin(runId: string = randomUUID()): RoundState {
    return { runId, index: 0, step: 'plan', startedAt: Date.now(), calls: {} };
  },
  /** Logs the round as running; again on a round resumed, which changes nothing if its start was logged. */
  async open(round: Round, state: RoundState, pair: string): Promise<void> {
    if (!round.dryRun) await round.ctx.store.startRun(state.runId, pair);
  },
  async start(round: Round, pair: string, runId: string = randomUUID()): Promise<RoundState> {
    const state = runLog.begin(runId);
    await runLog.open(round, state, pair);
    return state;
  },
  async finish(
    round: Round,
    state: RoundState,
    entities: SyncReport['entities'],
    calls: Readonly<Record<string, number>>,
    error?: unknown,
  ): Promise<void> {
    if (round.dryRun) return;
    const status =
      error === undefined ? 'succeeded' : error instanceof RoundInterrupted ? 'interrupted' : 'failed';
    await round.ctx.store.finishRun(
      state.runId,
      status,
      summary(entities, calls, Date.now() - state.startedAt, error),
    );
  },
};

/**
 * Plans a slice of an entity, once: a plan an earlier attempt of this step saved is taken as it is (its batches were
 * saved with it). A new plan is split into batches of the target CRM's batch size, saved batches first. The first
 * slice pulls the entity's window; `pending.slices` says how many slices it has.
 */
export async function planEntityStep(
  round: Round,
  runId: string,
  entity: EntityName,
  slice = 0,
): Promise<StoredPending> {
  const { ctx, keeper } = round;
  const saved = await keeper.pending(runId, entity, slice);
  if (saved !== undefined) return saved;
  // Accounts and people whose deals changed earlier in the round: their people are classified again.
  const deals = { accounts: new Set<string>(), people: new Set<string>() };
  const entities = entitiesOf(ctx);
  if (slice === 0)
    for (const earlier of entities.slice(0, entities.indexOf(entity))) {
      for (let n = 0, slices = 1; n < slices; n++) {
        const before = await keeper.pending(runId, earlier, n);
        slices = before?.slices ?? 1;
        for (const account of before?.dealAccounts ?? []) deals.accounts.add(account);
        for (const person of before?.dealPeople ?? []) deals.people.add(person);
      }
    }
  const planned = await planStep(ctx, entity, deals, round.dryRun === true, {
    runId,
    staging: keeper.staging,
    slice,
  });
  const batches = splitPlan(planned.plan, (connection) => profileOf(ctx.config, connection).batchSize);
  const pending: StoredPending = {
    ...planned,
    plan: { ...planned.plan, writes: [], conversions: [] },
    batches: batches.map(infoOf),
  };
  await keeper.savePlan(runId, entity, slice, pending, batches);
  ctx.onProgress?.({
    kind: 'planned',
    entity,
    writes: planned.plan.writes.length,
    conversions: planned.plan.conversions.length,
    batches: batches.length,
  });
  return pending;
}

/** How many slices an entity's records are planned in, once its first slice is planned. */
export const slicesOf = (pending: Pick<StoredPending, 'slices'>): number => pending.slices ?? 1;

/** The numbers of an entity's batches that go first (`late` false), or once those are done (`late` true). */
export const batchesIn = (pending: StoredPending, late: boolean): number[] =>
  pending.batches.flatMap((b, n) => (b.late === late ? [n] : []));

/**
 * Pushes one batch and keeps its outcome; links to the records it created are saved at once, so that nothing it
 * created is created again. A batch pushed a second time (an attempt died mid-call) drops the plan's "known new" and
 * "known unconverted" shortcuts, so that the connector looks first and finds what the first attempt did. Undefined
 * when the batch is gone (its round was given up).
 */
export async function pushBatchStep(
  round: Round,
  runId: string,
  entity: EntityName,
  slice: number,
  n: number,
): Promise<{ outcome: PushOutcome; redone: boolean } | undefined> {
  const { ctx, keeper } = round;
  const stored = await keeper.batch(runId, entity, slice, n);
  if (stored === undefined) return undefined;
  const redone = await keeper.startBatch(runId, entity, slice, n);
  const batch = redone ? withoutShortcuts(stored) : stored;
  let outcome: PushOutcome;
  if (round.dryRun) outcome = wouldPush(ctx.config, entity, batch);
  else {
    const created = batch.writes.some((w) => w.twinFrom !== undefined)
      ? await createdFirst(round, runId, entity, slice)
      : [];
    outcome = await pushPlan(ctx, entity, batch, created);
  }
  await ctx.store.link(outcome.links);
  if (outcome.done !== undefined && outcome.done.length > 0)
    await ctx.store.recordWrites(outcome.done.map((d) => ({ ...d, runId })));
  await keeper.saveOutcome(runId, entity, slice, n, storeOutcome(outcome));
  ctx.onProgress?.({ kind: 'pushed', entity, written: outcome.written.length, converted: outcome.converted });
  return { outcome, redone };
}

/** The links the first batches of recent slices created, by round, entity and slice (see createdFirst). */
const created = new Map<string, Promise<readonly IdentityLink[]>>();
const createdKey = (runId: string, entity: EntityName, slice: number) => `${runId}/${entity}/${slice}`;
/**
 * How many slices' links a process keeps: the late batches of a few slices run at a time. A slice's are dropped
 * when this process settles the slice.
 */
const CREATED_KEPT = 4;

/**
 * The links to the records the slice's first batches (those that go before the late ones) created: the ids the
 * late writes carry. Read once per slice in a process, as every first batch is done by then: the late batches of a
 * slice are pushed only once its first ones all are.
 */
function createdFirst(
  round: Round,
  runId: string,
  entity: EntityName,
  slice: number,
): Promise<readonly IdentityLink[]> {
  const key = createdKey(runId, entity, slice);
  let links = created.get(key);
  if (links === undefined) {
    links = (async () => {
      const pending = await round.keeper.pending(runId, entity, slice);
      const first = pending === undefined ? [] : batchesIn(pending, false);
      return (await round.keeper.outcomesOf(runId, entity, slice, first)).flatMap((o) => o.links);
    })();
    created.set(key, links);
    // A read that failed is not kept: the batch's next attempt reads again.
    links.catch(() => created.delete(key));
    for (const old of created.keys()) if (created.size > CREATED_KEPT) created.delete(old);
  }
  return links;
}

/**
 * Settles a batch the CRM refused as a whole for good (auth, validation): every record of it is quarantined with
 * the reason, and that is the batch's outcome, so the entity can be recorded and the round go on.
 */
export async function refuseBatchStep(
  round: Round,
  runId: string,
  entity: EntityName,
  slice: number,
  n: number,
  reason: string,
): Promise<void> {
  const { ctx, keeper } = round;
  const batch = await keeper.batch(runId, entity, slice, n);
  if (batch === undefined) return;
  const quarantined: NewQuarantineEntry[] = [
    ...batch.writes.map((w) => refusedWrite(entity, w, reason)),
    ...batch.conversions.map((c) =>
      refused(entity, conversionKey(ctx.config, c), WHOLE_RECORD, undefined, `conversion failed: ${reason}`),
    ),
  ];
  await ctx.store.quarantine(quarantined);
  const failed = new Set([...batch.writes, ...batch.conversions].map((w) => w.unifiedId));
  await keeper.saveOutcome(
    runId,
    entity,
    slice,
    n,
    storeOutcome({ created: {}, updated: {}, converted: 0, quarantined, links: [], written: [], failed }),
  );
}

/**
 * A record step found batches of its slice without an outcome: every attempt at them failed. Recording the slice
 * again changes nothing until the round pushes them again.
 */
export class UnfinishedBatches extends ConnectorFailure {}

/**
 * Records a slice of an entity once every batch has an outcome. A batch without one (the API stayed down through
 * every attempt) fails the round, so that the cursors stay and the next round redoes the window; `why` tells what
 * became of the missing batches, where the caller knows. A slice recorded before (by an attempt that died after
 * it) is not recorded again.
 */
export async function recordEntityStep(
  round: Round,
  runId: string,
  entity: EntityName,
  slice: number,
  why?: () => Promise<string | undefined>,
): Promise<EntityReport> {
  const { ctx, keeper } = round;
  const recorded = await keeper.report(runId, entity, slice);
  if (recorded !== undefined) return recorded;
  const pending = await keeper.pending(runId, entity, slice);
  if (pending === undefined) throw new Error(`round ${runId} has no saved plan for ${entity}`);
  const outcomes = await keeper.outcomes(runId, entity, slice);
  if (outcomes.length < pending.batches.length) {
    const reason = await why?.();
    throw new UnfinishedBatches({
      kind: 'unavailable',
      message: `${pending.batches.length - outcomes.length} of ${pending.batches.length} ${entity} push batches did not finish${reason === undefined ? '' : ` (${reason})`}`,
    });
  }
  const report = await recordStep(ctx, pending, mergeOutcomes(outcomes));
  await keeper.saveReport(runId, entity, slice, report);
  ctx.onProgress?.({ kind: 'recorded', entity });
  return report;
}

/**
 * Once a slice is recorded (and its report parts kept): what only its own steps read is dropped, so that a large
 * window's slices do not pile up in memory or in the state store.
 */
export function settleSliceStep(round: Round, runId: string, entity: EntityName, slice: number) {
  created.delete(createdKey(runId, entity, slice));
  return round.keeper.settle(runId, entity, slice);
}

/** The entity's report so far: its slices' reports summed (undefined before its first is recorded). */
async function entityReport(round: Round, runId: string, entity: EntityName) {
  return sumReports(await round.keeper.reports(runId, entity));
}

/**
 * The round's last step, once every entity is recorded: where each pull got to is saved (only now, so that a
 * round that fails anywhere before redoes its whole window), the run is logged, and its parts are dropped.
 */
export async function commitRoundStep(
  round: Round,
  state: RoundState,
  calls: Readonly<Record<string, number>>,
): Promise<SyncReport> {
  const { ctx, keeper } = round;
  const entities: SyncReport['entities'] = {};
  const cursors = [];
  for (const entity of entitiesOf(ctx)) {
    const pending = await keeper.pending(state.runId, entity, 0);
    const report = await entityReport(round, state.runId, entity);
    if (pending === undefined || report === undefined)
      throw new Error(`round ${state.runId} is missing the state of ${entity}`);
    cursors.push(...pending.cursors);
    entities[entity] = report;
  }
  if (!round.dryRun) for (const c of cursors) await ctx.store.saveCursor(c.connection, c.object, c.cursor);
  await runLog.finish(round, state, entities, calls);
  await keeper.drop(state.runId, staleBefore());
  if (!round.dryRun) await pruneOld(ctx);
  const durationMs = Date.now() - state.startedAt;
  return { runId: state.runId, dryRun: round.dryRun === true, apiCalls: { ...calls }, entities, durationMs };
}

/** Gives a round up after a failure: the run is logged as failed with what it had done, and its parts dropped. */
export async function abandonRoundStep(
  round: Round,
  state: RoundState,
  calls: Readonly<Record<string, number>>,
  error: unknown,
): Promise<void> {
  const entities: SyncReport['entities'] = {};
  for (const entity of entitiesOf(round.ctx)) {
    const report = await entityReport(round, state.runId, entity);
    if (report !== undefined) entities[entity] = report;
  }
  await runLog.finish(round, state, entities, calls, error);
  await round.keeper.drop(state.runId);
}

/**
 * Removes what is older than `sync.keep` (the write history, settled quarantine entries, finished runs) once the
 * round is committed. Housekeeping that fails (the database busy) is not the round's failure: the next round prunes.
 */
async function pruneOld(ctx: SyncContext): Promise<void> {
  const before = new Date(Date.now() - durationMs(ctx.config.sync.keep));
  await ctx.store.prune(before).catch(() => undefined);
}

/** How long a round's parts outlive it when it was abandoned without a word (its next retry starts afresh). */
const STALE_ROUND_MS = 7 * 24 * 3600 * 1000;

/** Parts of rounds last touched before this are dropped with the next round's. */
export const staleBefore = (): Date => new Date(Date.now() - STALE_ROUND_MS);

function infoOf(batch: PlanBatch): BatchInfo {
  const first = batch.writes[0] ?? batch.conversions[0];
  return {
    connection: first?.connection ?? '',
    conversions: batch.writes.length === 0,
    late: batch.writes.length === 0 || batch.writes.some((w) => w.twinFrom !== undefined),
  };
}

/** The batch with every write and conversion checked against the CRM first, as if nothing were known of it. */
function withoutShortcuts(batch: PlanBatch): PlanBatch {
  return {
    writes: batch.writes.map((w) => {
      const { expectNew: _, ...write } = w.write;
      return { ...w, write };
    }),
    conversions: batch.conversions.map((c) => {
      const { expectUnconverted: _, ...conversion } = c.conversion;
      return { ...c, conversion };
    }),
  };
}
