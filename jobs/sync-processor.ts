import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import * as z from 'zod';
import type { SyncContext } from '../src/sync/context.ts';
import { runLog } from '../src/sync/round-steps.ts';
import type { SyncReport } from '../src/sync/run-sync.ts';
import type { CallLedger } from './call-ledger.ts';
import { decide, settle } from './failure-policy.ts';
import type { Logger } from './logger.ts';
import type { WorkerMetrics } from './metrics.ts';
import { pairId, SYNC_QUEUE } from './names.ts';
import type { PairLocks } from './pair-lock.ts';
import { SyncJobData, type SyncJobResult } from './payloads.ts';
import type { PushQueue, SliceQueue } from './queues.ts';
import { abandonRound, advanceRound, jobRound } from './round-job.ts';
import type { Scrubber } from './secrets.ts';

/** One sync round over a context; `runSync` in production, wrapped by tests to record timings. */
export type RunRound = (ctx: SyncContext) => Promise<SyncReport>;

export interface SyncProcessorDeps {
  /** The config, store and connectors of the worker's pair. */
  readonly ctx: SyncContext;
  /**
   * How a round runs: as steps whose slices and pushes are jobs on the slice, push and convert queues (the default:
   * every worker shares a big round), or whole in this process (`run`, e.g. `runSync`).
   */
  readonly run:
    | RunRound
    | {
        readonly children: ReadonlyMap<string, PushQueue>;
        readonly slices: SliceQueue;
        readonly roundLockMs: number;
        readonly ledger: CallLedger;
      };
  /** The per-pair locks that keep rounds of a pair apart. */
  readonly locks: PairLocks;
  /** Where each job's progress is logged. */
  readonly logger: Logger;
  /** Counts each finished job and keeps the last round's figures. */
  readonly metrics: WorkerMetrics;
  /** Removes secrets from failure reasons before they reach Redis or a log. */
  readonly scrub: Scrubber;
  /** How long a requested (not scheduled) round waits when another round of its pair is running. */
  readonly busyDelayMs: number;
}

/**
 * The processor of the sync queue: checks the payload, takes the pair's lock, runs one round, and hands any
 * failure to the failure policy. A scheduled tick that finds its pair busy is skipped (the next tick comes
 * soon); a requested round is delayed until the running one is done, so an operator's replay is never lost.
 */
export function syncProcessor(deps: SyncProcessorDeps) {
  const ourPair = pairId(deps.ctx.config);
  return async (job: Job<unknown, SyncJobResult>, token?: string): Promise<SyncJobResult> => {
    const parsed = SyncJobData.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`invalid sync job payload: ${z.prettifyError(parsed.error)}`);
    const data = parsed.data;
    const log = deps.logger.child({
      queue: SYNC_QUEUE,
      jobId: job.id,
      pair: data.pair,
      trigger: data.trigger,
    });
    if (data.pair !== ourPair)
      throw new UnrecoverableError(
        `pair ${data.pair} is not in this worker's config (which syncs ${ourPair})`,
      );
    // A round split into steps owns its pair lock by run id, and takes it again at each step.
    const continuing = data.round;
    const runId = continuing?.runId ?? randomUUID();
    const lease = await deps.locks.acquire(data.pair, runId);
    if (lease === undefined) {
      if (data.trigger === 'schedule' && continuing === undefined) {
        log.info('round skipped: another round of this pair is running');
        return { skipped: 'another round of this pair is running' };
      }
      log.info({ delayMs: deps.busyDelayMs }, 'round delayed: another round of this pair is running');
      await job.moveToDelayed(Date.now() + deps.busyDelayMs, token);
      throw new DelayedError('another round of this pair is running');
    }
    const started = performance.now();
    let waiting = false;
    try {
      let report: SyncReport;
      if (typeof deps.run === 'function') {
        log.info('round started');
        report = await deps.run(deps.ctx);
      } else {
        // The round is kept in its job before it is logged: a process that dies in between leaves a round that
        // resumes under the same id (and is logged then), never a run logged as running for good.
        if (continuing === undefined) {
          const round = runLog.begin(runId);
          await job.updateData({ ...data, round });
          await runLog.open(jobRound(deps.ctx), round, data.pair);
          log.info({ runId }, 'round started');
        } else {
          await runLog.open(jobRound(deps.ctx), continuing, data.pair);
          log.info({ runId: continuing.runId, step: continuing.step }, 'round resumed');
        }
        report = await advanceRound(job as Job<SyncJobData>, token, {
          ctx: deps.ctx,
          children: deps.run.children,
          slices: deps.run.slices,
          ledger: deps.run.ledger,
          log,
        });
      }
      const seconds = (performance.now() - started) / 1000;
      deps.metrics.lastRun(report);
      deps.metrics.jobFinished(SYNC_QUEUE, 'completed', seconds);
      const result = summarise(report);
      log.info(
        {
          runId: report.runId,
          durationMs: report.durationMs,
          apiCalls: result.apiCalls,
          entities: result.entities,
        },
        'round finished',
      );
      return result;
    } catch (error) {
      if (error instanceof WaitingChildrenError) {
        waiting = true;
        throw error;
      }
      const decision = decide(error);
      deps.metrics.jobFinished(SYNC_QUEUE, 'failed', (performance.now() - started) / 1000, decision.kind);
      log.warn(
        {
          kind: decision.kind,
          action: decision.action,
          attempt: job.attemptsMade + 1,
          reason: deps.scrub(decision.reason),
        },
        'round failed',
      );
      const round = (job.data as SyncJobData).round;
      if (round !== undefined) await abandonRound(job as Job<SyncJobData>, deps.ctx, round, error);
      return await settle(decision, job, token, deps.scrub);
    } finally {
      // While its batches run, the round keeps its pair: no process holds the job, the push jobs extend the lock.
      if (waiting && typeof deps.run !== 'function') await lease.keep(deps.run.roundLockMs);
      else await lease.release();
    }
  };
}

/** The counts of a report, the only part of it stored in Redis (samples hold record values). */
export function summarise(report: SyncReport): Extract<SyncJobResult, { runId: string }> {
  const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const entities: Record<string, Record<string, number>> = {};
  for (const [entity, r] of Object.entries(report.entities)) {
    entities[entity] = {
      read: sum(r.read),
      changed: r.changed,
      created: sum(r.creates),
      updated: sum(r.updates),
      conversions: r.conversions,
      quarantined: r.quarantined,
    };
  }
  return { runId: report.runId, durationMs: report.durationMs, apiCalls: { ...report.apiCalls }, entities };
}
