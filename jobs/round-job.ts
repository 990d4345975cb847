import { type Job, WaitingChildrenError } from 'bullmq';
import type { EntityName } from '../src/model/index.ts';
import { dropTrace, readTrace, saveTraceFigures, traceStart, traceStep } from '../src/report/round-trace.ts';
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
import { batchJobId, batchJobPrefix, CONVERT_QUEUE, PUSH_QUEUES, sliceJobId } from './names.ts';
import type { PushJobData, SliceJobData, SyncJobData } from './payloads.ts';
import type { PushQueue, SliceQueue } from './queues.ts';

export interface RoundJobDeps {
  readonly ctx: SyncContext;
  /** The push and convert queues, by name. */
  readonly children: ReadonlyMap<string, PushQueue>;
  /** The queue of slice steps. */
  readonly slices: SliceQueue;
  /** This process's API calls, taken by each step. */
  readonly ledger: CallLedger;
  readonly log: Logger;
}

/** A round whose steps run as jobs: its parts are kept in the state store, where any worker finds them. */
export const jobRound = (ctx: SyncContext): Round => ({ ctx, keeper: storeKeeper(ctx.store) });

/**
 * Plans a slice of an entity (once: a plan saved before is taken as it is) and keeps what the plan read for the
 * round report. The round's job plans each entity's first slice; slice jobs plan the others.
 */
export async function planSlice(
  ctx: SyncContext,
  runId: string,
  entity: EntityName,
  slice: number,
): Promise<StoredPending> {
  const traced = traceStep(ctx, runId, entity, slice);
  const pending = await planEntityStep({ ...jobRound(ctx), ctx: traced.ctx }, runId, entity, slice);
  await traced.keepPlan();
  return pending;
}

/**
 * Records a slice once its batches are done (once: a report saved before is taken as it is), keeps what its
 * batches wrote and what it set aside for the round report, and settles the slice. `why` says what became of
 * batches without an outcome, where the caller knows.
 */
export async function recordSlice(
  ctx: SyncContext,
  runId: string,
  entity: EntityName,
  slice: number,
  why?: () => Promise<string | undefined>,
): Promise<EntityReport> {
  const round = jobRound(ctx);
  const traced = traceStep(ctx, runId, entity, slice);
  const report = await recordEntityStep({ ...round, ctx: traced.ctx }, runId, entity, slice, why);
  await traced.keepRecord(round.keeper);
  await settleSliceStep(round, runId, entity, slice);
  return report;
}

/**
 * Runs a round's steps (`src/sync/round-steps.ts`) from where its job's data says it got to, saving the round's
 * state in the job between them. For each entity: plan its first slice, which pulls its window (a window larger
 * than a slice is staged, see `src/sync/stage.ts`); then the other slices' plans, as slice jobs any worker takes,
 * side by side; then the slices' write batches as push jobs; then the conversions and the writes that wait for the
 * records the first ones create; then each slice's record step, again as slice jobs. Between two phases the job
 * waits for the jobs it added without holding a worker (`WaitingChildrenError`); when they are all done BullMQ
 * hands the job back, maybe to another process. The cursors are committed in the last step.
 *
 * A window's slices can be planned and recorded in any order and at once: a slice holds every record that could
 * be one unified record with one of its records, so no slice reads what another one saves (links, match keys,
 * snapshots), and the entities before it are recorded whole before it is planned.
 *
 * Every step can be redone after a crash: a plan already saved is not made again (its batches are added again
 * under the same job ids, which BullMQ ignores), and recording saves the same rows again. A slice step that fails
 * every attempt is done by the round's job itself, whose failure then fails the round.
 */
export async function advanceRound(
  job: Job<SyncJobData>,
  token: string | undefined,
  deps: RoundJobDeps,
): Promise<SyncReport> {
  const round = jobRound(deps.ctx);
  const entities = entitiesOf(deps.ctx);
  let state = job.data.round as RoundState;
  // A round an earlier version left between the slices of an entity: every slice is taken up from its plan.
  if ((state.slice ?? 0) > 0 && state.step !== 'commit') state = { ...state, slice: 0, step: 'slices' };
  const save = async (next: RoundState) => {
    state = next;
    await job.updateData({ ...job.data, round: state });
  };
  const waitForChildren = async () => {
    if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
  };
  // The plan of each slice of the entity, in slice order; one this process makes is counted in the round's calls.
  const plans = async function* (entity: EntityName) {
    const first = await round.keeper.pending(state.runId, entity, 0);
    if (first === undefined) throw new Error(`round ${state.runId} has no saved plan for ${entity}`);
    yield { slice: 0, pending: first };
    for (let slice = 1; slice < slicesOf(first); slice++) {
      let pending = await round.keeper.pending(state.runId, entity, slice);
      if (pending === undefined) {
        deps.ledger.take();
        pending = await planSlice(deps.ctx, state.runId, entity, slice);
        await save({ ...state, calls: addUp(state.calls, deps.ledger.take()) });
      }
      yield { slice, pending };
    }
  };
  for (;;) {
    const entity = entities[state.index] as EntityName;
    const { runId } = state;
    if (state.step === 'plan') {
      // The round report's parts are kept with the round's (src/report/round-trace.ts): the people before, what
      // each plan step read, what each record step wrote and set aside.
      if (state.index === 0) await traceStart(deps.ctx, runId);
      deps.ledger.take();
      const pending = await planSlice(deps.ctx, runId, entity, 0);
      const calls = deps.ledger.take();
      const slices = slicesOf(pending);
      deps.log.info({ runId, entity, slice: 0, slices, batches: pending.batches.length }, 'entity planned');
      if (slices > 1) await addSliceSteps(job, deps, runId, entity, slices, 'plan');
      else await addBatches(job, deps, runId, entity, 0, pending, false);
      await save({
        ...state,
        slice: 0,
        step: slices > 1 ? 'slices' : 'convert',
        calls: addUp(state.calls, calls),
      });
    }
    if (state.step === 'slices') {
      await waitForChildren();
      // A slice whose plan job failed every attempt is planned here; failing again, it fails the round.
      for await (const { slice, pending } of plans(entity))
        await addBatches(job, deps, runId, entity, slice, pending, false);
      await save({ ...state, step: 'convert' });
    }
    if (state.step === 'convert') {
      await waitForChildren();
      for await (const { slice, pending } of plans(entity))
        await addBatches(job, deps, runId, entity, slice, pending, true);
      await save({ ...state, step: 'record' });
    }
    if (state.step === 'record' || state.step === 'recorded') {
      await waitForChildren();
      const slices = slicesOf((await round.keeper.pending(runId, entity, 0)) ?? { slices: 1 });
      if (state.step === 'record' && slices > 1) {
        await addSliceSteps(job, deps, runId, entity, slices, 'record');
        await save({ ...state, step: 'recorded' });
        continue;
      }
      // One slice is recorded here; so is a slice whose record job failed every attempt (its part of the report
      // and its settling are done again too), and failing again (its batches did not all finish, say), it fails the
      // round with the reason. A slice its job recorded is done.
      const failures = Object.entries(await job.getIgnoredChildrenFailures());
      const failed = (prefix: string) => failures.find(([key]) => key.includes(prefix))?.[1];
      for (let slice = 0; slice < slices; slice++) {
        const recorded = (await round.keeper.report(runId, entity, slice)) !== undefined;
        if (recorded && failed(sliceJobId(runId, entity, slice, 'record')) === undefined) continue;
        const why = async () => failed(batchJobPrefix(runId, entity, slice));
        const report = await recordSlice(deps.ctx, runId, entity, slice, why);
        if (!recorded) deps.log.info({ runId, entity, slice, ...countsOf(report) }, 'entity recorded');
      }
      const index = state.index + 1;
      await save({ ...state, index, slice: 0, step: index < entities.length ? 'plan' : 'commit' });
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
      await dropTrace(deps.ctx, runId).catch((error: unknown) =>
        deps.log.warn({ runId, err: error }, 'the round report’s rows were not dropped: they go once stale'),
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
  // Rows left by a failure to drop them go with stale rounds' later; the round's job must still let its state go.
  await dropTrace(ctx, state.runId).catch(() => undefined);
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

/**
 * Adds a step of every slice of the entity as children of the round's job: planning the slices after the first
 * (which the round's job plans, pulling the window), or recording them all.
 */
async function addSliceSteps(
  job: Job<SyncJobData>,
  deps: RoundJobDeps,
  runId: string,
  entity: EntityName,
  slices: number,
  step: SliceJobData['step'],
): Promise<void> {
  const first = step === 'plan' ? 1 : 0;
  await deps.slices.addBulk(
    Array.from({ length: slices - first }, (_, i) => ({
      name: entity,
      data: { pair: job.data.pair, runId, entity, slice: first + i, step } satisfies SliceJobData,
      opts: {
        ...deps.slices.defaultJobOptions,
        jobId: sliceJobId(runId, entity, first + i, step),
        parent: { id: job.id as string, queue: job.queueQualifiedName },
        // A step that fails every attempt does not fail the round by itself: the round's job does it then.
        ignoreDependencyOnFailure: true,
      },
    })),
  );
}

function addUp(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** A slice's report in counts, for the log. */
export function countsOf(report: EntityReport) {
  const sum = (c: Readonly<Record<string, number>>) => Object.values(c).reduce((x, y) => x + y, 0);
  return { created: sum(report.creates), updated: sum(report.updates), quarantined: report.quarantined };
}
