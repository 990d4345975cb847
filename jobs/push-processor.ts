import type { Job } from 'bullmq';
import * as z from 'zod';
import type { SyncContext } from '../src/sync/context.ts';
import { pushBatchStep, refuseBatchStep } from '../src/sync/round-steps.ts';
import type { CallLedger } from './call-ledger.ts';
import { childFailed, settle } from './failure-policy.ts';
import type { Logger } from './logger.ts';
import type { WorkerMetrics } from './metrics.ts';
import type { PairLocks } from './pair-lock.ts';
import { PushJobData, type PushJobResult } from './payloads.ts';
import { jobRound } from './round-job.ts';
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
  const round = jobRound(deps.ctx);
  return async (job: Job<unknown, PushJobResult>, token?: string): Promise<PushJobResult> => {
    const parsed = PushJobData.safeParse(job.data);
    if (!parsed.success) throw new Error(`invalid push job payload: ${z.prettifyError(parsed.error)}`);
    const { runId, entity, slice, batch: n, pair } = parsed.data;
    const log = deps.logger.child({ queue: job.queueName, jobId: job.id, runId, entity, slice, batch: n });
    // The round's pair lock lives while its batches run, and a while after the last one.
    const lost = () =>
      log.warn('the round no longer holds its pair lock; its batches go on (writes are idempotent)');
    return deps.locks.holding(pair, runId, deps.roundLockMs, lost, async () => {
      const started = performance.now();
      let pushed: Awaited<ReturnType<typeof pushBatchStep>>;
      try {
        pushed = await pushBatchStep(round, runId, entity, slice, n);
      } catch (error) {
        const seconds = (performance.now() - started) / 1000;
        const { decision, reason } = childFailed(error, job, seconds, deps, log, 'batch failed');
        if (decision.action === 'fail') await refuseBatchStep(round, runId, entity, slice, n, reason);
        return await settle(decision, job, token, deps.scrub);
      }
      if (pushed === undefined) {
        log.info('batch skipped: its round was given up');
        return { skipped: 'its round was given up' };
      }
      const { outcome, redone } = pushed;
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
    });
  };
}
