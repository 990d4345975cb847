import { randomUUID } from 'node:crypto';
import type { SyncContext } from './context.ts';
import { dryRunStore } from './dry-run-store.ts';
import type { PlannedWrite } from './plan-types.ts';
import { pushPlan, wouldPush } from './push.ts';
import { apiCalls, callsBetween, entitiesOf, planStep, recordStep, summary } from './round.ts';
import type { PlannedWriteReport, RoundCursor, SyncReport } from './round-types.ts';

export type { EntityReport, SyncReport } from './round-types.ts';

/**
 * One sync round in this process: for each entity, pull → map → resolve → merge and classify → plan → push →
 * record. Cursors are committed only after every write of the round succeeded or was quarantined; a failure before
 * that leaves them, and the next round redoes the window. A dry run plans and reports, and writes nothing anywhere.
 * The background worker runs the same steps as jobs (plan, push batches on any worker, record, commit).
 */
export async function runSync(real: SyncContext, options: { dryRun?: boolean } = {}): Promise<SyncReport> {
  const dryRun = options.dryRun === true;
  // A dry run runs the same steps over a store that keeps what they save to itself: it plans what a real round
  // would, entity after entity, and nothing reaches the state store or the CRMs.
  const ctx = dryRun ? { ...real, store: dryRunStore(real.store) } : real;
  const started = Date.now();
  const runId = randomUUID();
  const callsBefore = apiCalls(ctx);
  const entities: SyncReport['entities'] = {};
  const cursors: RoundCursor[] = [];
  /** Accounts whose deals changed this round: their people are classified again. */
  const dealAccounts = new Set<string>();
  if (!dryRun) await ctx.store.startRun(runId, ctx.config.sync.pair.join('-'));
  try {
    for (const entity of entitiesOf(ctx)) {
      const planned = await planStep(ctx, entity, dealAccounts, dryRun);
      for (const account of planned.dealAccounts) dealAccounts.add(account);
      const pushed = dryRun
        ? wouldPush(ctx.config, entity, planned.plan)
        : await pushPlan(ctx, entity, planned.plan);
      const report = await recordStep(ctx, planned, pushed);
      entities[entity] = dryRun ? { ...report, planned: plannedWrites(planned.plan.writes) } : report;
      cursors.push(...planned.cursors);
    }
    if (!dryRun) await commitCursors(ctx, cursors);
  } catch (error) {
    if (!dryRun) {
      const calls = callsBetween(callsBefore, apiCalls(ctx));
      await ctx.store.finishRun(runId, 'failed', summary(entities, calls, Date.now() - started, error));
    }
    throw error;
  }
  const durationMs = Date.now() - started;
  const calls = callsBetween(callsBefore, apiCalls(ctx));
  if (!dryRun) await ctx.store.finishRun(runId, 'succeeded', summary(entities, calls, durationMs));
  return { runId, dryRun, apiCalls: calls, entities, durationMs };
}

/** The last step of a round: where each pull got to, saved once every write of the round is done. */
export async function commitCursors(ctx: SyncContext, cursors: readonly RoundCursor[]): Promise<void> {
  for (const c of cursors) await ctx.store.saveCursor(c.connection, c.object, c.cursor);
}

/** A dry run's writes as reported: which record, and what changes. */
function plannedWrites(writes: readonly PlannedWrite[]): PlannedWriteReport[] {
  return writes.map(({ connection, object, create, write, diff }) => ({
    connection,
    object,
    create,
    ...(write.id === undefined ? {} : { id: write.id }),
    ...(write.upsertBy === undefined ? {} : { key: `${write.upsertBy.field} = ${write.upsertBy.value}` }),
    diff,
  }));
}
