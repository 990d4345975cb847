import type { SyncContext } from './context.ts';
import { dryRunStore } from './dry-run-store.ts';
import { RoundInterrupted } from './interrupted.ts';
import type { PlannedWrite } from './plan-types.ts';
import { conversionKey } from './push.ts';
import { apiCalls, callsBetween, entitiesOf } from './round.ts';
import { memoryKeeper } from './round-keeper.ts';
import {
  abandonRoundStep,
  batchesIn,
  commitRoundStep,
  planEntityStep,
  pushBatchStep,
  type Round,
  recordEntityStep,
  runLog,
  settleSliceStep,
  slicesOf,
} from './round-steps.ts';
import type { PlannedConversionReport, PlannedWriteReport, SyncReport } from './round-types.ts';

export type { EntityReport, SyncReport } from './round-types.ts';

/** Batches of one phase pushed at once in one process; the connectors' budgets pace the calls themselves. */
const PUSH_CONCURRENCY = 4;

export interface RunOptions {
  readonly dryRun?: boolean;
  /**
   * Stops the round after the batches in flight (SIGINT, SIGTERM): the round ends in a `RoundInterrupted` and is
   * logged as interrupted. The abort's reason names the signal.
   */
  readonly signal?: AbortSignal;
}

/**
 * One sync round in this process, step after step (`round-steps.ts`): for each entity, plan (deletes, pull, map,
 * resolve, merge and classify, plan), push its batches (the writes, then the conversions and the writes that carry
 * the ids of records the first ones created), record. Cursors are committed only after every write of the round
 * succeeded or was quarantined; a failure before that leaves them, and the next round redoes the window. A dry run
 * runs the same steps over a store that keeps what they save to itself, and "pushes" with `wouldPush`: it plans
 * what a real round would, entity after entity, and nothing reaches the state store or the CRMs. The background
 * worker runs the same steps as jobs.
 */
export async function runSync(real: SyncContext, options: RunOptions = {}): Promise<SyncReport> {
  const dryRun = options.dryRun === true;
  const ctx = dryRun ? { ...real, store: dryRunStore(real.store) } : real;
  // A large window's records wait in the state store (a dry run's in memory: it writes nothing there).
  const round: Round = { ctx, keeper: memoryKeeper(dryRun ? undefined : real.store), dryRun };
  const callsBefore = apiCalls(ctx);
  const calls = () => callsBetween(callsBefore, apiCalls(ctx));
  const state = await runLog.start(round, ctx.config.sync.pair.join('-'));
  const planned = new Map<string, { writes: PlannedWriteReport[]; conversions: PlannedConversionReport[] }>();
  const recorded: string[] = [];
  let writes = 0;
  const stopIfAsked = () => {
    if (options.signal?.aborted)
      throw new RoundInterrupted(String(options.signal.reason ?? 'a signal'), { recorded, writes });
  };
  try {
    for (const entity of entitiesOf(ctx)) {
      for (let slice = 0, slices = 1; slice < slices; slice++) {
        stopIfAsked();
        const pending = await planEntityStep(round, state.runId, entity, slice);
        slices = slicesOf(pending);
        if (dryRun) {
          const more = await plannedOf(round, state.runId, entity, slice, pending.batches.length);
          const sofar = planned.get(entity);
          planned.set(entity, {
            writes: [...(sofar?.writes ?? []), ...more.writes],
            conversions: [...(sofar?.conversions ?? []), ...more.conversions],
          });
        }
        for (const late of [false, true]) {
          await eachAtOnce(batchesIn(pending, late), options.signal, async (n) => {
            const pushed = await pushBatchStep(round, state.runId, entity, slice, n);
            writes += pushed?.outcome.written.length ?? 0;
          });
          stopIfAsked();
        }
        await recordEntityStep(round, state.runId, entity, slice);
        await settleSliceStep(round, state.runId, entity, slice);
      }
      recorded.push(entity);
    }
    const report = await commitRoundStep(round, state, calls());
    if (!dryRun) return report;
    const entities = Object.fromEntries(
      Object.entries(report.entities).map(([entity, r]) => [
        entity,
        {
          ...r,
          planned: planned.get(entity)?.writes ?? [],
          plannedConversions: planned.get(entity)?.conversions ?? [],
        },
      ]),
    );
    return { ...report, entities };
  } catch (error) {
    await abandonRoundStep(round, state, calls(), error);
    throw error;
  }
}

/**
 * Runs `work` for every item, at most PUSH_CONCURRENCY at a time. After a failure, or once `signal` is aborted,
 * nothing new starts; the first failure is thrown once the work under way has settled.
 */
async function eachAtOnce<T>(
  items: readonly T[],
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < items.length && failures.length === 0 && !signal?.aborted) {
      const item = items[next++] as T;
      await work(item).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUSH_CONCURRENCY, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}

/** A dry run's writes and conversions as reported: which record, and what changes. */
async function plannedOf(
  round: Round,
  runId: string,
  entity: Parameters<Round['keeper']['batch']>[1],
  slice: number,
  batches: number,
): Promise<{ writes: PlannedWriteReport[]; conversions: PlannedConversionReport[] }> {
  const writes: PlannedWrite[] = [];
  const conversions: PlannedConversionReport[] = [];
  for (let n = 0; n < batches; n++) {
    const batch = await round.keeper.batch(runId, entity, slice, n);
    writes.push(...(batch?.writes ?? []));
    for (const c of batch?.conversions ?? []) {
      const { object, externalId } = conversionKey(round.ctx.config, c);
      conversions.push({
        connection: c.connection,
        object,
        id: externalId,
        createOpportunity: c.conversion.createOpportunity,
        ...(c.conversion.lifecycleStage === undefined ? {} : { lifecycleStage: c.conversion.lifecycleStage }),
      });
    }
  }
  return {
    writes: writes.map(({ connection, object, create, write, diff }) => ({
      connection,
      object,
      create,
      ...(write.id === undefined ? {} : { id: write.id }),
      ...(write.upsertBy === undefined ? {} : { key: `${write.upsertBy.field} = ${write.upsertBy.value}` }),
      diff,
    })),
    conversions,
  };
}
