import { type Job, UnrecoverableError } from 'bullmq';
import * as z from 'zod';
import { slicesOf, UnfinishedBatches } from '../src/sync/round-steps.ts';
import { childFailed, settle } from './failure-policy.ts';
import { SliceJobData, type SliceJobResult } from './payloads.ts';
import type { PushProcessorDeps } from './push-processor.ts';
import { countsOf, jobRound, planSlice, recordSlice } from './round-job.ts';

/** What a slice step needs: what a push batch needs (the round's pair lock held the same way). */
export type SliceProcessorDeps = PushProcessorDeps;

/**
 * The processor of the slice queue: plans one slice of a round's entity, or records it once its batches are done
 * (`planSlice`, `recordSlice`), so that the slices of a large window are planned and recorded by every worker of
 * the pair at once. Both steps can be done again: a saved plan or report is taken as it is.
 */
export function sliceProcessor(deps: SliceProcessorDeps) {
  const { keeper } = jobRound(deps.ctx);
  return async (job: Job<unknown, SliceJobResult>, token?: string): Promise<SliceJobResult> => {
    const parsed = SliceJobData.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`invalid slice job payload: ${z.prettifyError(parsed.error)}`);
    const { runId, entity, slice, step, pair } = parsed.data;
    const log = deps.logger.child({ queue: job.queueName, jobId: job.id, runId, entity, slice, step });
    const lost = () =>
      log.warn('the round no longer holds its pair lock; its slice steps go on (they can be done again)');
    return deps.locks.holding(pair, runId, deps.roundLockMs, lost, async () => {
      const started = performance.now();
      // A round given up has dropped its parts: there is nothing left to plan or record.
      const gone =
        step === 'plan'
          ? (await keeper.staging.stage(runId, entity)) === undefined
          : (await keeper.pending(runId, entity, slice)) === undefined;
      if (gone) {
        log.info('slice step skipped: its round was given up');
        return { skipped: 'its round was given up' };
      }
      try {
        if (step === 'plan') {
          const pending = await planSlice(deps.ctx, runId, entity, slice);
          log.info(
            { runId, entity, slice, slices: slicesOf(pending), batches: pending.batches.length },
            'entity planned',
          );
        } else {
          const report = await recordSlice(deps.ctx, runId, entity, slice);
          log.info({ runId, entity, slice, ...countsOf(report) }, 'entity recorded');
        }
      } catch (error) {
        const seconds = (performance.now() - started) / 1000;
        const { decision, reason } = childFailed(error, job, seconds, deps, log, 'slice step failed');
        // Its batches were tried every time already: recording again changes nothing. The round's job says why.
        if (error instanceof UnfinishedBatches) throw new UnrecoverableError(reason);
        return await settle(decision, job, token, deps.scrub);
      }
      deps.metrics.jobFinished(job.queueName, 'completed', (performance.now() - started) / 1000);
      return { apiCalls: deps.ledger.take() };
    });
  };
}
