import { ConnectorFailure } from '../../src/connector/errors.ts';

/** How the connector retries transient failures (503, UNABLE_TO_LOCK_ROW, timeouts, resets, 429). */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 6). */
  readonly attempts: number;
  /** Delay before the first retry, in ms (default 250); it doubles each time. */
  readonly baseDelayMs: number;
  /** Upper bound of one delay, in ms (default 10 s). */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 10_000 };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with "equal jitter": half fixed, half random, so that retrying workers spread out. */
export function backoff(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * Runs `call` until it succeeds, fails for good, or runs out of attempts. `translate` turns a thrown error into a
 * ConnectorFailure; only retryable kinds are retried, waiting at least what a rate limit asked for. `beforeRetry`
 * may make the next attempt safe (e.g. re-check which records a lost answer already created).
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  translate: (error: unknown) => ConnectorFailure,
  call: (attempt: number) => Promise<T>,
  beforeRetry?: (failure: ConnectorFailure) => Promise<void>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      const failure = translate(error);
      if (!failure.retryable || attempt + 1 >= policy.attempts) throw failure;
      await sleep(Math.max(backoff(policy, attempt), failure.retryAfterMs ?? 0));
      await beforeRetry?.(failure);
    }
  }
}

export { ConnectorFailure };
