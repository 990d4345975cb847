import type { Job } from 'bullmq';
import * as z from 'zod';
import type { BridgeConfig } from '../src/config/schema.ts';
import type { NewQuarantineEntry } from '../src/store/index.ts';
import type { SyncContext } from '../src/sync/context.ts';
import { conversionKey, type PlanBatch, pushPlan, storeOutcome } from '../src/sync/push.ts';
import { refused, refusedWrite, WHOLE_RECORD } from '../src/sync/quarantine-entries.ts';
import type { CallLedger } from './call-ledger.ts';
import { decide, settle } from './failure-policy.ts';
import type { Logger } from './logger.ts';
import type { WorkerMetrics } from './metrics.ts';
import type { PairLocks } from './pair-lock.ts';
import { PushJobData, type PushJobResult } from './payloads.ts';
import { loadBatch, loadOutcomes, roundKeys } from './round-state.ts';
import type { Scrubber } from './secrets.ts';

export interface PushProcessorDeps {
  readonly ctx: SyncContext;
  readonly locks: PairLocks;
  /** How long the round's pair lock is kept past each push job (the round's job holds no worker meanwhile). */
  readonly roundLockMs: number;
  /** This process's API calls: each batch reports what was made since the last step or batch took them. */
  readonly ledger: CallLedger;
  readonly logger: Logger;
  readonly metrics: WorkerMetrics;
  readonly scrub: Scrubber;
}

/**
 * The processor of the push and convert queues: one batch of a round's writes (or conversions), read from the
 * state store, pushed through the connector (whose budget, shared through Redis, paces every worker calling the
 * same account), its outcome saved for the round to record. Links to created records are saved at once, so that
 * nothing a batch created is created again.
 *
 * A batch pushed a second time (its worker died mid-call, or the API failed) drops the plan's "known new" and
 * "known unconverted" shortcuts, so that the connector looks first and finds what the first attempt did: a
 * redone batch writes the same values again, never a second record.
 */
export function pushProcessor(deps: PushProcessorDeps) {
  const { ctx } = deps;
  return async (job: Job<unknown, PushJobResult>, token?: string): Promise<PushJobResult> => {
    const parsed = PushJobData.safeParse(job.data);
    if (!parsed.success) throw new Error(`invalid push job payload: ${z.prettifyError(parsed.error)}`);
    const { runId, entity, batch: n, pair } = parsed.data;
    const log = deps.logger.child({ queue: job.queueName, jobId: job.id, runId, entity, batch: n });
    // The round's pair lock lives while its batches run, and a while after the last one.
    const hold = () => deps.locks.hold(pair, runId, deps.roundLockMs).catch(() => false);
    if (!(await hold()))
      log.warn('the round no longer holds its pair lock; its batches go on (writes are idempotent)');
    const timer = setInterval(() => void hold(), Math.floor(deps.roundLockMs / 3));
    const started = performance.now();
    try {
      const stored = await loadBatch(ctx.store, runId, entity, n);
      if (stored === undefined) {
        log.info('batch skipped: its round was given up');
        return { skipped: 'its round was given up' };
      }
      const redone = (await ctx.store.roundState(runId, roundKeys.started(entity, n))).length > 0;
      if (!redone) await ctx.store.saveRoundState(runId, [{ key: roundKeys.started(entity, n), body: true }]);
      const batch = redone ? withoutShortcuts(stored) : stored;
      let outcome: Awaited<ReturnType<typeof pushPlan>>;
      try {
        // Writes that carry the ids of records this round created run after the creates: those are in the
        // outcomes the round's other batches saved.
        const created = batch.writes.some((w) => w.twinFrom !== undefined)
          ? (await loadOutcomes(ctx.store, runId, entity)).flatMap((o) => o.links)
          : [];
        outcome = await pushPlan(ctx, entity, batch, created);
      } catch (error) {
        const decision = decide(error);
        deps.metrics.jobFinished(
          job.queueName,
          'failed',
          (performance.now() - started) / 1000,
          decision.kind,
        );
        const reason = deps.scrub(decision.reason);
        log.warn(
          { kind: decision.kind, action: decision.action, attempt: job.attemptsMade + 1, reason, redone },
          'batch failed',
        );
        if (decision.action === 'fail') {
          // Refused for good (credentials, validation): the batch's records are quarantined with the reason, and
          // the round goes on; the job stays as a dead letter.
          const quarantined = quarantineAll(ctx.config, entity, batch, reason);
          await ctx.store.quarantine(quarantined);
          await ctx.store.saveRoundState(runId, [
            {
              key: roundKeys.outcome(entity, n),
              body: storeOutcome({
                created: {},
                updated: {},
                converted: 0,
                quarantined,
                links: [],
                written: [],
                failed: new Set([...batch.writes, ...batch.conversions].map((w) => w.unifiedId)),
              }),
            },
          ]);
        }
        return await settle(decision, job, token, deps.scrub);
      }
      await ctx.store.link(outcome.links);
      await ctx.store.saveRoundState(runId, [
        { key: roundKeys.outcome(entity, n), body: storeOutcome(outcome) },
      ]);
      const calls = deps.ledger.take();
      const seconds = (performance.now() - started) / 1000;
      deps.metrics.jobFinished(job.queueName, 'completed', seconds);
      const result = {
        written: outcome.written.length,
        converted: outcome.converted,
        failed: outcome.failed.size,
        apiCalls: calls,
      };
      log.debug({ ...result, redone, durationMs: Math.round(seconds * 1000) }, 'batch pushed');
      return result;
    } finally {
      clearInterval(timer);
    }
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

/** Every record of a batch that was refused as a whole, with the reason. */
function quarantineAll(
  config: BridgeConfig,
  entity: PushJobData['entity'],
  batch: PlanBatch,
  reason: string,
): NewQuarantineEntry[] {
  return [
    ...batch.writes.map((w) => refusedWrite(entity, w, reason)),
    ...batch.conversions.map((c) =>
      refused(entity, conversionKey(config, c), WHOLE_RECORD, undefined, `conversion failed: ${reason}`),
    ),
  ];
}
