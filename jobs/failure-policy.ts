import { DelayedError, type Job, type JobsOptions, UnrecoverableError } from 'bullmq';
import { ConnectorFailure, type ErrorKind } from '../src/connector/errors.ts';
import type { Logger } from './logger.ts';
import type { WorkerMetrics } from './metrics.ts';
import type { Scrubber } from './secrets.ts';

/**
 * The one place where a failure becomes queue behaviour. Connectors report a closed set of kinds
 * (`src/connector/errors.ts`); each maps to one of three outcomes:
 * - `fail`: invalid input or refused credentials will not get better by retrying: fail at once and keep the job
 *   as a dead letter with the reason, for `crm-bridge status` and `crm-bridge replay`;
 * - `delay`: the API asked us to wait: come back after exactly that long, without using up an attempt;
 * - `retry`: the API or the network is down for now: retry with exponential backoff and jitter, then dead-letter.
 */
export type Decision =
  | { readonly action: 'fail'; readonly kind: FailureKind; readonly reason: string }
  | {
      readonly action: 'delay';
      readonly kind: 'rate-limited';
      readonly delayMs: number;
      readonly reason: string;
    }
  | { readonly action: 'retry'; readonly kind: FailureKind; readonly reason: string };

/** A connector's kinds, plus `internal` for anything else (a bug, the state store down). */
export type FailureKind = ErrorKind | 'internal';

/** When a 429 names no wait, this long. */
export const DEFAULT_RATE_LIMIT_DELAY_MS = 10_000;

/**
 * Every sync job's options. Completed jobs are kept a day (for `status`), failed ones 30 days as dead letters;
 * BullMQ trims them when later jobs finish. 5 attempts, waiting up to 5 s, 10 s, 20 s, 40 s (each drawn between
 * half and all of it, so that workers do not retry in step), ride out a minute or two of an API outage; the next
 * scheduled round starts again anyway.
 */
export const SYNC_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const satisfies JobsOptions;

/**
 * Every push and convert job's options. More attempts than a round (a batch is small and cheap to redo): 8
 * attempts, waiting 2 s, 4 s, … up to about 4 minutes in all. Completed batches are kept a day, so that a round
 * that adds its batches again (after a crash) finds them done instead of pushing them twice; failed ones 30 days.
 */
export const PUSH_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const satisfies JobsOptions;

/**
 * Every slice step's options: 3 attempts, 2 s then 4 s apart. A step that fails them all does not fail the round by
 * itself: the round's job does the step itself, and fails with its error if it fails again. Kept a day either way.
 */
export const SLICE_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600 },
} as const satisfies JobsOptions;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/** What to do about an error thrown by a sync round. Pure: the unit tests read it as a table. */
export function decide(error: unknown): Decision {
  if (error instanceof ConnectorFailure) {
    const reason = `${error.kind}${error.code ? ` ${error.code}` : ''}: ${error.message}`;
    switch (error.kind) {
      case 'auth':
      case 'invalid':
      case 'not-found':
        return { action: 'fail', kind: error.kind, reason };
      case 'rate-limited':
        return {
          action: 'delay',
          kind: 'rate-limited',
          delayMs: error.retryAfterMs ?? DEFAULT_RATE_LIMIT_DELAY_MS,
          reason,
        };
      case 'unavailable':
      case 'conflict':
        return { action: 'retry', kind: error.kind, reason };
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : '';
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    (typeof code === 'string' && NETWORK_CODES.has(code))
  )
    return { action: 'retry', kind: 'unavailable', reason: `unavailable: ${message}` };
  return { action: 'retry', kind: 'internal', reason: `internal: ${message}` };
}

/**
 * Carries a decision out inside a BullMQ processor: always throws. The reason is scrubbed of every secret the
 * worker knows before it reaches Redis (failedReason, stacktrace) or a log.
 */
export async function settle(
  decision: Decision,
  job: Pick<Job, 'moveToDelayed'>,
  token: string | undefined,
  scrub: Scrubber,
): Promise<never> {
  const reason = scrub(decision.reason);
  if (decision.action === 'fail') throw withoutStack(new UnrecoverableError(reason));
  if (decision.action === 'delay') {
    // Back to the delayed set with the same attempt count: a 429 is the API's pace, not a failure.
    await job.moveToDelayed(Date.now() + decision.delayMs, token);
    throw new DelayedError(reason);
  }
  throw withoutStack(new Error(reason));
}

/**
 * A child job's failure (a push batch, a slice step): decided, counted in the metrics and logged as `message` with
 * its kind, action, attempt and reason, the reason scrubbed of secrets.
 */
export function childFailed(
  error: unknown,
  job: Pick<Job, 'queueName' | 'attemptsMade'>,
  seconds: number,
  deps: { readonly metrics: WorkerMetrics; readonly scrub: Scrubber },
  log: Logger,
  message: string,
): { decision: Decision; reason: string } {
  const decision = decide(error);
  deps.metrics.jobFinished(job.queueName, 'failed', seconds, decision.kind);
  const reason = deps.scrub(decision.reason);
  log.warn({ kind: decision.kind, action: decision.action, attempt: job.attemptsMade + 1, reason }, message);
  return { decision, reason };
}

/** The stack would repeat the message next to our own frames; the reason alone is what an admin reads. */
function withoutStack<E extends Error>(error: E): E {
  error.stack = `${error.name}: ${error.message}`;
  return error;
}
