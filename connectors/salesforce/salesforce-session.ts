import type { ConnectorFailure } from '../../src/connector/errors.ts';
import type { SalesforceClient } from './salesforce-client.ts';
import { DescribeCache } from './salesforce-describe.ts';
import { toFailure } from './salesforce-errors.ts';
import { DailyReserve } from './salesforce-limits.ts';
import { type RetryPolicy, withRetry } from './salesforce-retry.ts';

/** What pull, push and convert share: the client, describe, the API reserve and the retry policy. */
export class Session {
  readonly describe: DescribeCache;
  readonly reserve: DailyReserve;
  readonly retry: RetryPolicy;
  readonly #connect: () => Promise<SalesforceClient>;
  readonly #secrets: () => readonly (string | undefined)[];
  #client: Promise<SalesforceClient> | undefined;
  readonly #timeoutMs: number;
  /** API calls sent, retries included. */
  calls = 0;

  constructor(options: {
    readonly connect: () => Promise<SalesforceClient>;
    readonly secrets: () => readonly (string | undefined)[];
    readonly dailyReserve: number;
    readonly retry: RetryPolicy;
    /** Abandon a call that has not answered after this long (ms) and retry it; jsforce's own limit is 30 min. */
    readonly requestTimeoutMs: number;
  }) {
    this.#timeoutMs = options.requestTimeoutMs;
    this.#connect = options.connect;
    this.#secrets = options.secrets;
    this.reserve = new DailyReserve(options.dailyReserve);
    this.retry = options.retry;
    this.describe = new DescribeCache((object) => this.call((c) => c.describe(object)));
  }

  /** The client, connected on first use; the first connection also reads the limits resource once. */
  client(): Promise<SalesforceClient> {
    if (!this.#client) {
      const connecting = (async () => {
        const client = await withRetry(this.retry, this.fail, () => this.#connect());
        this.reserve.observe(
          await withRetry(this.retry, this.fail, () => {
            this.calls++;
            return client.dailyApiRequests();
          }),
        );
        return client;
      })();
      connecting.catch(() => {
        this.#client = undefined;
      });
      this.#client = connecting;
    }
    return this.#client;
  }

  /** Translates any thrown error into the closed set, without secrets. */
  readonly fail = (error: unknown): ConnectorFailure => toFailure(error, this.#secrets());

  /** The secrets to keep out of messages (settings and the current session token). */
  secrets(): readonly (string | undefined)[] {
    return this.#secrets();
  }

  /**
   * One unit of new work: refused when the daily reserve is reached, retried on transient failures, and the usage
   * header of every answer observed.
   */
  async call<T>(
    run: (client: SalesforceClient) => Promise<T>,
    beforeRetry?: (failure: ConnectorFailure) => Promise<void>,
  ): Promise<T> {
    const client = await this.client();
    this.reserve.check();
    try {
      return await withRetry(
        this.retry,
        this.fail,
        () => {
          this.calls++;
          return deadline(run(client), this.#timeoutMs);
        },
        beforeRetry,
      );
    } finally {
      this.reserve.observe(client.apiUsage());
    }
  }
}

/**
 * Rejects with ETIMEDOUT when `work` has not settled in time. The request itself cannot be cancelled through
 * jsforce, so it may still be carried out: callers treat the timeout as an ambiguous failure.
 */
function deadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' }));
    }, ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
