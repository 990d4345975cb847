import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { TokenSource } from './hubspot-auth.ts';
import type { HubSpotApi } from './hubspot-client.ts';
import { fromCallError } from './hubspot-errors.ts';
import type { RetryPolicy } from './hubspot-options.ts';
import type { CallKind, RateBudget } from './rate-budget.ts';

/** What the connector's calls met, for benchmarks, tests and operators. */
export interface CallStats {
  /** Calls started, retries included. */
  calls: number;
  /** 429s HubSpot answered (each was waited out and retried, or reported). */
  rateLimited: number;
  /** Retries after a 5xx, a reset or a timeout. */
  retried: number;
  /** OAuth token refreshes after a 401. */
  refreshed: number;
}

/** Runs one SDK call under the budget, retrying what can be retried. */
export type Call = <T>(kind: CallKind, run: (api: HubSpotApi) => Promise<T>) => Promise<T>;

class CallTimeout extends Error {
  override readonly name = 'CallTimeout';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeout(`no answer within ${ms} ms (timed out)`)), ms);
  });
  // The abandoned call may still fail later; that failure is expected and must not surface as unhandled.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The one place calls are paced and retried: wait for the budget; on 401 refresh an OAuth token once; on 429 pause
 * the whole budget, and the budget shared with other processes if there is one, for the window HubSpot names (or,
 * when it names none, the budget's rolling window) and try again; on 5xx, resets and timeouts back off
 * exponentially with full jitter. Anything else, or running out of attempts, throws a `ConnectorFailure` in the
 * closed set.
 */
export function createCaller(
  api: HubSpotApi,
  budget: RateBudget,
  token: TokenSource,
  policy: RetryPolicy,
  stats: CallStats,
): Call {
  return async <T>(kind: CallKind, run: (api: HubSpotApi) => Promise<T>): Promise<T> => {
    let failures = 0;
    let rateWaits = 0;
    let refreshed = false;
    for (;;) {
      const blocked = budget.dailyWait();
      if (blocked > 0) {
        throw new ConnectorFailure({
          kind: 'rate-limited',
          message: "HubSpot's daily API allowance is spent",
          code: 'DAILY',
          retryAfterMs: blocked,
        });
      }
      if (token.stale()) await token.refresh();
      const release = await budget.acquire(kind);
      stats.calls++;
      try {
        return await withTimeout(run(api), policy.timeoutMs).finally(release);
      } catch (error) {
        const failure = fromCallError(error);
        if (!failure) throw error;
        if (failure.kind === 'auth' && token.refreshable && !refreshed) {
          refreshed = true;
          stats.refreshed++;
          await token.refresh();
          continue;
        }
        if (
          failure.kind === 'rate-limited' &&
          failure.code !== 'DAILY' &&
          rateWaits < policy.maxRateLimitWaits
        ) {
          rateWaits++;
          stats.rateLimited++;
          // A 429 that names no wait: the rolling window as the portal last reported it, else as configured.
          await budget.rateLimited(failure.code, failure.retryAfterMs ?? budget.current().windowMs);
          continue;
        }
        if (failure.kind === 'rate-limited') {
          stats.rateLimited++;
          if (failure.code === 'DAILY') budget.dailySpent();
          const wait =
            failure.retryAfterMs ??
            (failure.code === 'DAILY' ? budget.dailyWait() : budget.current().windowMs);
          throw new ConnectorFailure({ ...failure, retryAfterMs: wait }, { cause: error });
        }
        if (failure.kind === 'unavailable' && failures < policy.maxRetries) {
          failures++;
          stats.retried++;
          const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
          await sleep(Math.random() * cap);
          continue;
        }
        throw new ConnectorFailure(failure, { cause: error });
      }
    }
  };
}
