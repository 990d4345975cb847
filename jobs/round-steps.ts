import { type Job, WaitingChildrenError } from 'bullmq';
import { ConnectorFailure } from '../src/connector/errors.ts';
import type { EntityName } from '../src/model/index.ts';
import type { SyncContext } from '../src/sync/context.ts';
import { profileOf } from '../src/sync/person-objects.ts';
import { mergeOutcomes, splitPlan } from '../src/sync/push.ts';
import { entitiesOf, planStep, recordStep, summary } from '../src/sync/round.ts';
import type { EntityReport, SyncReport } from '../src/sync/round-types.ts';
import { commitCursors } from '../src/sync/run-sync.ts';
import type { CallLedger } from './call-ledger.ts';
import type { Logger } from './logger.ts';
import { batchJobId, CONVERT_QUEUE, PUSH_QUEUES } from './names.ts';
import type { PushJobData, SyncJobData } from './payloads.ts';
import type { PushQueue } from './queues.ts';
import { loadOutcomes, loadPending, loadReport, roundKeys, type StoredPending } from './round-state.ts';

/** A round's state in its sync job's data. */
export type RoundProgress = NonNullable<SyncJobData['round']>;

export interface RoundStepDeps {
  readonly ctx: SyncContext;
  /** The push and convert queues, by name. */
  readonly children: ReadonlyMap<string, PushQueue>;
  /** This process's API calls, taken by each step. */
  readonly ledger: CallLedger;
  readonly log: Logger;
}

/** How long a round's saved state outlives it when it was abandoned (its next retry starts afresh). */
const STALE_ROUND_MS = 7 * 24 * 3600 * 1000;

/**
 * Runs a round from where its job's data says it got to, one step after another, in this process: plan an
 * entity and hand its write batches to push jobs (any worker takes them), then wait for them without holding a
 * worker (`WaitingChildrenError`); when they are all done BullMQ hands the job back, maybe to another process,
 * which hands over the conversions the same way, then records the entity's outcome and plans the next one. The
 * cursors are committed in the last step only.
 *
 * Every step can be redone after a crash: a plan already saved is not made again (its batches are added again
 * under the same job ids, which BullMQ ignores), and recording saves the same rows again.
 */
export async function advanceRound(
  job: Job<SyncJobData>,
  token: string | undefined,
  deps: RoundStepDeps,
): Promise<SyncReport> {
  const { ctx } = deps;
  const entities = entitiesOf(ctx);
  let round = job.data.round as RoundProgress;
  const save = async (next: RoundProgress) => {
    round = next;
    await job.updateData({ ...job.data, round });
  };
  for (;;) {
    const entity = entities[round.index] as EntityName;
    if (round.step === 'plan') {
      const { pending, calls } = await planOnce(deps, round, entity, entities);
      await addBatches(job, deps, round.runId, entity, pending, 'writes');
      await save({ ...round, step: 'convert', calls: addUp(round.calls, calls) });
    }
    if (round.step === 'convert') {
      // Conversions once the writes are done, as in one process: a Lead being converted cannot be updated. With
      // them, the writes that carry the ids of the records the writes created.
      if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
      const pending = await loadPending(ctx.store, round.runId, entity);
      if (pending === undefined) throw new Error(`round ${round.runId} has no saved plan for ${entity}`);
      await addBatches(job, deps, round.runId, entity, pending, 'after writes');
      await save({ ...round, step: 'record' });
    }
    if (round.step === 'record') {
      if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
      await recordEntity(job, deps, round.runId, entity);
      const index = round.index + 1;
      await save({ ...round, index, step: index < entities.length ? 'plan' : 'commit' });
    }
    if (round.step === 'commit') return await commitRound(job, deps, round, entities);
  }
}

/** Gives up a round after a failure: the run is logged as failed, its state dropped, and a retry starts afresh. */
export async function abandonRound(
  job: Job<SyncJobData>,
  ctx: SyncContext,
  round: RoundProgress,
  error: unknown,
): Promise<void> {
  const entities: SyncReport['entities'] = {};
  for (const entity of entitiesOf(ctx)) {
    const report = await loadReport(ctx.store, round.runId, entity);
    if (report !== undefined) entities[entity] = report;
  }
  await ctx.store.finishRun(
    round.runId,
    'failed',
    summary(entities, round.calls, Date.now() - round.startedAt, error),
  );
  await ctx.store.dropRoundState(round.runId);
  const { round: _, ...rest } = job.data;
  await job.updateData(rest);
}

/** The entity's plan: the one saved by an earlier attempt of this step, or a new one, saved before anything else. */
async function planOnce(
  deps: RoundStepDeps,
  round: RoundProgress,
  entity: EntityName,
  entities: readonly EntityName[],
): Promise<{ pending: StoredPending; calls: Record<string, number> }> {
  const { ctx } = deps;
  const saved = await loadPending(ctx.store, round.runId, entity);
  if (saved !== undefined) return { pending: saved, calls: {} };
  const dealAccounts = new Set<string>();
  for (const earlier of entities.slice(0, round.index))
    for (const account of (await loadPending(ctx.store, round.runId, earlier))?.dealAccounts ?? [])
      dealAccounts.add(account);
  deps.ledger.take();
  const planned = await planStep(ctx, entity, dealAccounts, false);
  const calls = deps.ledger.take();
  const systemOf = (connection: string) => {
    const system = ctx.config.connections[connection]?.system;
    if (system === undefined) throw new Error(`no connection ${connection} in the config`);
    return system;
  };
  const batches = splitPlan(planned.plan, (connection) => profileOf(ctx.config, connection).batchSize);
  const pending: StoredPending = {
    ...planned,
    plan: { ...planned.plan, writes: [], conversions: [] },
    batchQueues: batches.map((b) =>
      b.writes[0] === undefined ? CONVERT_QUEUE : PUSH_QUEUES[systemOf(b.writes[0].connection)],
    ),
    afterWrites: batches.flatMap((b, n) => (b.writes.some((w) => w.twinFrom !== undefined) ? [n] : [])),
  };
  // The batches first, the plan last: a saved plan means its batches are all there.
  await ctx.store.saveRoundState(
    round.runId,
    batches.map((body, n) => ({ key: roundKeys.batch(entity, n), body })),
  );
  await ctx.store.saveRoundState(round.runId, [{ key: roundKeys.pending(entity), body: pending }]);
  deps.log.info(
    { runId: round.runId, entity, batches: batches.length, writes: planned.plan.writes.length },
    'entity planned',
  );
  return { pending, calls };
}

/**
 * Adds the entity's batches of one phase as children of the round's job: first the writes, then, once they are
 * done, the conversions and the writes that carry the ids of records the first ones created.
 */
async function addBatches(
  job: Job<SyncJobData>,
  deps: RoundStepDeps,
  runId: string,
  entity: EntityName,
  pending: StoredPending,
  phase: 'writes' | 'after writes',
): Promise<void> {
  const after = new Set(pending.afterWrites ?? []);
  const late = (queue: string, n: number) => queue === CONVERT_QUEUE || after.has(n);
  const byQueue = Map.groupBy(
    pending.batchQueues.flatMap((queue, n) =>
      late(queue, n) === (phase === 'after writes') ? [{ queue, n }] : [],
    ),
    (batch) => batch.queue,
  );
  for (const [name, batches] of byQueue) {
    const queue = deps.children.get(name);
    if (queue === undefined) throw new Error(`no queue ${name}`);
    await queue.addBulk(
      batches.map(({ n }) => ({
        name: entity,
        data: { pair: job.data.pair, runId, entity, batch: n } satisfies PushJobData,
        opts: {
          ...queue.defaultJobOptions,
          jobId: batchJobId(runId, entity, n),
          parent: { id: job.id as string, queue: job.queueQualifiedName },
          // A batch that fails for good does not fail the round by itself: the round looks at why (below).
          ignoreDependencyOnFailure: true,
        },
      })),
    );
  }
}

/**
 * Records an entity once its batches are done. A batch that failed for good after quarantining its records (auth
 * or validation) is part of the outcome like any refused record; one that failed without an outcome (the API
 * stayed down through every attempt) fails the round, so that the cursors stay and the next round redoes it.
 */
async function recordEntity(
  job: Job<SyncJobData>,
  deps: RoundStepDeps,
  runId: string,
  entity: EntityName,
): Promise<void> {
  const { ctx } = deps;
  const pending = await loadPending(ctx.store, runId, entity);
  if (pending === undefined) throw new Error(`round ${runId} has no saved plan for ${entity}`);
  const outcomes = await loadOutcomes(ctx.store, runId, entity);
  if (outcomes.length < pending.batchQueues.length) {
    const failures = Object.entries(await job.getIgnoredChildrenFailures()).filter(([key]) =>
      key.includes(`push-${runId}-${entity}-`),
    );
    throw new ConnectorFailure({
      kind: 'unavailable',
      message: `${pending.batchQueues.length - outcomes.length} of ${pending.batchQueues.length} ${entity} push batches did not finish${failures[0] === undefined ? '' : ` (${failures[0][1]})`}`,
    });
  }
  const report = await recordStep(ctx, pending, mergeOutcomes(outcomes));
  await ctx.store.saveRoundState(runId, [{ key: roundKeys.report(entity), body: report }]);
  deps.log.info({ runId, entity, ...countsOf(report) }, 'entity recorded');
}

async function commitRound(
  job: Job<SyncJobData>,
  deps: RoundStepDeps,
  round: RoundProgress,
  entities: readonly EntityName[],
): Promise<SyncReport> {
  const { ctx } = deps;
  const reports: SyncReport['entities'] = {};
  const cursors = [];
  for (const entity of entities) {
    const pending = await loadPending(ctx.store, round.runId, entity);
    const report = await loadReport(ctx.store, round.runId, entity);
    if (pending === undefined || report === undefined)
      throw new Error(`round ${round.runId} is missing the state of ${entity}`);
    cursors.push(...pending.cursors);
    reports[entity] = report;
  }
  await commitCursors(ctx, cursors);
  let calls = round.calls;
  for (const value of Object.values(await job.getChildrenValues()))
    calls = addUp(calls, (value as { apiCalls?: Record<string, number> } | null)?.apiCalls ?? {});
  const durationMs = Date.now() - round.startedAt;
  await ctx.store.finishRun(round.runId, 'succeeded', summary(reports, calls, durationMs));
  await ctx.store.dropRoundState(round.runId, new Date(Date.now() - STALE_ROUND_MS));
  return { runId: round.runId, dryRun: false, apiCalls: calls, entities: reports, durationMs };
}

function addUp(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function countsOf(report: EntityReport) {
  const sum = (c: Readonly<Record<string, number>>) => Object.values(c).reduce((x, y) => x + y, 0);
  return { created: sum(report.creates), updated: sum(report.updates), quarantined: report.quarantined };
}
