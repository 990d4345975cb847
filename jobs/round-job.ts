import { type Job, WaitingChildrenError } from 'bullmq';
import type { EntityName } from '../src/model/index.ts';
import { readTrace, saveTraceFigures, traceStart, traceStep } from '../src/report/round-trace.ts';
import type { SyncContext } from '../src/sync/context.ts';
import { entitiesOf } from '../src/sync/round.ts';
import { type RoundState, type StoredPending, storeKeeper } from '../src/sync/round-keeper.ts';
import {
  abandonRoundStep,
  batchesIn,
  commitRoundStep,
  planEntityStep,
  type Round,
  recordEntityStep,
  settleSliceStep,
  slicesOf,
} from '../src/sync/round-steps.ts';
import type { EntityReport, SyncReport } from '../src/sync/round-types.ts';
import type { CallLedger } from './call-ledger.ts';
import type { Logger } from './logger.ts';
import { batchJobId, batchJobPrefix, CONVERT_QUEUE, PUSH_QUEUES } from './names.ts';
import type { PushJobData, SyncJobData } from './payloads.ts';
import type { PushQueue } from './queues.ts';

export interface RoundJobDeps {
  readonly ctx: SyncContext;
  /** The push and convert queues, by name. */
  readonly children: ReadonlyMap<string, PushQueue>;
  /** This process's API calls, taken by each step. */
  readonly ledger: CallLedger;
  readonly log: Logger;
}

/** A round whose steps run as jobs: its parts are kept in the state store, where any worker finds them. */
export const jobRound = (ctx: SyncContext): Round => ({ ctx, keeper: storeKeeper(ctx.store) });

/**
 * Runs a round's steps (`src/sync/round-steps.ts`) from where its job's data says it got to, saving the round's
 * state in the job between them: plan an entity and hand its write batches to push jobs (any worker takes them),
 * then wait for them without holding a worker (`WaitingChildrenError`); when they are all done BullMQ hands the
 * job back, maybe to another process, which hands over the conversions and the writes that wait for the first
 * ones the same way, then records the entity and plans the next one. The cursors are committed in the last step.
 *
 * Every step can be redone after a crash: a plan already saved is not made again (its batches are added again
 * under the same job ids, which BullMQ ignores), and recording saves the same rows again.
 */
export async function advanceRound(
  job: Job<SyncJobData>,
  token: string | undefined,
  deps: RoundJobDeps,
): Promise<SyncReport> {
  const round = jobRound(deps.ctx);
  const entities = entitiesOf(deps.ctx);
  let state = job.data.round as RoundState;
  const save = async (next: RoundState) => {
    state = next;
    await job.updateData({ ...job.data, round: state });
  };
  const waitForBatches = async () => {
    if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
  };
  for (;;) {
    const entity = entities[state.index] as EntityName;
    const { runId } = state;
    const slice = state.slice ?? 0;
    if (state.step === 'plan') {
      // The round report's parts are kept with the round's (src/report/round-trace.ts): the people before, what
      // each plan step read, what each record step wrote and set aside.
      if (state.index === 0 && slice === 0) await traceStart(deps.ctx, runId);
      const traced = traceStep(deps.ctx, runId, entity, slice);
      deps.ledger.take();
      const pending = await planEntityStep({ ...round, ctx: traced.ctx }, runId, entity, slice);
      const calls = deps.ledger.take();
      await traced.keepPlan();
      deps.log.info(
        { runId, entity, slice, slices: slicesOf(pending), batches: pending.batches.length },
        'entity planned',
      );
      await addBatches(job, deps, runId, entity, slice, pending, false);
      await save({ ...state, step: 'convert', calls: addUp(state.calls, calls) });
    }
    if (state.step === 'convert') {
      await waitForBatches();
      const pending = await round.keeper.pending(runId, entity, slice);
      if (pending === undefined) throw new Error(`round ${runId} has no saved plan for ${entity}`);
      await addBatches(job, deps, runId, entity, slice, pending, true);
      await save({ ...state, step: 'record' });
    }
    if (state.step === 'record') {
      await waitForBatches();
      const traced = traceStep(deps.ctx, runId, entity, slice);
      const report = await recordEntityStep({ ...round, ctx: traced.ctx }, runId, entity, slice, async () => {
        const failures = Object.entries(await job.getIgnoredChildrenFailures()).filter(([key]) =>
          key.includes(batchJobPrefix(runId, entity, slice)),
        );
        return failures[0]?.[1];
      });
      await traced.keepRecord(round.keeper);
      const slices = slicesOf((await round.keeper.pending(runId, entity, slice)) ?? { slices: 1 });
      await settleSliceStep(round, runId, entity, slice);
      deps.log.info({ runId, entity, slice, ...countsOf(report) }, 'entity recorded');
      if (slice + 1 < slices) await save({ ...state, slice: slice + 1, step: 'plan' });
      else {
        const index = state.index + 1;
        await save({ ...state, index, slice: 0, step: index < entities.length ? 'plan' : 'commit' });
      }
    }
    if (state.step === 'commit') {
      let calls = state.calls;
      for (const value of Object.values(await job.getChildrenValues()))
        calls = addUp(calls, (value as { apiCalls?: Record<string, number> } | null)?.apiCalls ?? {});
      const trace = await readTrace(deps.ctx, runId).catch((error: unknown) => {
        deps.log.warn({ runId, err: error }, 'the round report’s parts are not readable: no figures kept');
        return undefined;
      });
      const report = await commitRoundStep(round, state, calls);
      // The round is committed: a report that cannot be counted is logged, never a reason to run the round again.
      if (trace !== undefined)
        await saveTraceFigures(deps.ctx, report, trace).catch((error: unknown) =>
          deps.log.warn({ runId, err: error }, 'the round report’s figures could not be kept'),
        );
      return report;
    }
  }
}

/** Gives up a round after a failure: the run is logged as failed, its state dropped, and a retry starts afresh. */
export async function abandonRound(
  job: Job<SyncJobData>,
  ctx: SyncContext,
  state: RoundState,
  error: unknown,
): Promise<void> {
  await abandonRoundStep(jobRound(ctx), state, state.calls, error);
  const { round: _, ...rest } = job.data;
  await job.updateData(rest);
}

/**
 * Adds the entity's batches of one phase as children of the round's job: first the writes, then, once they are
 * done, the conversions and the writes that carry the ids of records the first ones created.
 */
async function addBatches(
  job: Job<SyncJobData>,
  deps: RoundJobDeps,
  runId: string,
  entity: EntityName,
  slice: number,
  pending: StoredPending,
  late: boolean,
): Promise<void> {
  const queueOf = (n: number): string => {
    const info = pending.batches[n];
    if (info === undefined) throw new Error(`round ${runId} has no batch ${n} of ${entity}`);
    if (info.conversions) return CONVERT_QUEUE;
    const system = deps.ctx.config.connections[info.connection]?.system;
    if (system === undefined) throw new Error(`no connection ${info.connection} in the config`);
    return PUSH_QUEUES[system];
  };
  for (const [name, batches] of Map.groupBy(batchesIn(pending, late), queueOf)) {
    const queue = deps.children.get(name);
    if (queue === undefined) throw new Error(`no queue ${name}`);
    await queue.addBulk(
      batches.map((n) => ({
        name: entity,
        data: { pair: job.data.pair, runId, entity, slice, batch: n } satisfies PushJobData,
        opts: {
          ...queue.defaultJobOptions,
          jobId: batchJobId(runId, entity, slice, n),
          parent: { id: job.id as string, queue: job.queueQualifiedName },
          // A batch that fails for good does not fail the round by itself: the round looks at why (recordEntityStep).
          ignoreDependencyOnFailure: true,
        },
      })),
    );
  }
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
