import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { BurstBudget } from './pipedrive-budget.ts';
import type { PipedriveApi } from './pipedrive-client.ts';
import { fromCallError } from './pipedrive-errors.ts';
import type { RetryPolicy } from './pipedrive-options.ts';

/** What the connector's calls met, for benchmarks, tests and operators. */
export interface CallStats {
  /** Calls started, retries included. */
  calls: number;
  /** 429s Pipedrive answered (each waited out and retried, or reported). */
  rateLimited: number;
  /** Retries after a 5xx, a reset or a timeout. */
  retried: number;
}

/** How a call may be retried. */
export interface CallOptions {
  /**
   * The call creates something: when its answer is lost (a timeout, a reset, a cut-off answer) it may have been
   * carried out, so it is not sent again here; the failure (`unavailable`, code `ANSWER_LOST`) goes to the caller,
   * which can look the record up before trying again. A 5xx or 429 answer is still retried: nothing was done.
   */
  readonly creates?: boolean;
}

/** Runs one API call under the budget, retrying what can be retried. */
export type Call = <T>(run: (api: PipedriveApi) => Promise<T>, options?: CallOptions) => Promise<T>;

/** Answers that may have been lost after the request was carried out. */
const answerLost = (code: string | undefined) => code !== undefined && !/^\d+$/.test(code);

/**
 * The one place calls are paced and retried: wait for the burst budget; on a 429 pause it for the
 * `x-ratelimit-reset` Pipedrive names and try again; on 5xx, resets and timeouts back off exponentially with full
 * jitter. A 429 naming a wait past `maxWaitMs` (the day's token budget) is not waited out here but thrown as
 * `rate-limited` with that wait. Anything else, or running out of attempts, throws a `ConnectorFailure` in the
 * closed set.
 */
export function createCaller(
  api: PipedriveApi,
  budget: BurstBudget,
  policy: RetryPolicy,
  stats: CallStats,
): Call {
  return async <T>(run: (api: PipedriveApi) => Promise<T>, options: CallOptions = {}): Promise<T> => {
    let failures = 0;
    let rateWaits = 0;
    for (;;) {
      const release = await budget.acquire(policy.maxWaitMs);
      stats.calls++;
      try {
        return await run(api).finally(release);
      } catch (error) {
        if (error instanceof ConnectorFailure) throw error;
        const failure = fromCallError(error);
        if (!failure) throw error;
        if (failure.kind === 'rate-limited') {
          stats.rateLimited++;
          if (rateWaits < policy.maxRateLimitWaits && (failure.retryAfterMs ?? 0) <= policy.maxWaitMs) {
            rateWaits++;
            // The budget has paused itself for the window the answer named.
            continue;
          }
        }
        if (failure.kind === 'unavailable' && options.creates && answerLost(failure.code)) {
          throw new ConnectorFailure({ ...failure, code: 'ANSWER_LOST' }, { cause: error });
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
