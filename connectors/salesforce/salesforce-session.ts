import type { CallGate } from '../../src/connector/call-gate.ts';
import type { ConnectorFailure } from '../../src/connector/errors.ts';
import { ServerClock } from '../../src/connector/server-clock.ts';
import type { ApiUsage } from '../../src/connector/types.ts';
import type { SalesforceClient } from './salesforce-client.ts';
import { DescribeCache } from './salesforce-describe.ts';
import { toFailure } from './salesforce-errors.ts';
import { DailyReserve } from './salesforce-limits.ts';
import { type RetryPolicy, withRetry } from './salesforce-retry.ts';
import { answerClock } from './whole-answers.ts';

/** Where the processes calling the same org share the daily allocation's latest reading. */
export interface SharedAllocation {
  readonly gate: CallGate;
  /** The allocation's name in the gate (`salesforce:<connection>:daily`); never a secret. */
  readonly name: string;
}

/**
 * What pull, push and convert share: the client, describe, the API reserve and the retry policy. With a shared
 * allocation, the reserve goes by the newest reading any process saw: each answer's usage is published, and each
 * call first adopts a reading published since, so that one worker stops as soon as another saw the reserve reached.
 */
export class Session {
  readonly describe: DescribeCache;
  readonly reserve: DailyReserve;
  readonly retry: RetryPolicy;
  /** The org's clock, from the `Date` of the answers to this session's calls. */
  readonly clock = new ServerClock();
  readonly #connect: () => Promise<SalesforceClient>;
  readonly #secrets: () => readonly (string | undefined)[];
  #client: Promise<SalesforceClient> | undefined;
  readonly #timeoutMs: number;
  readonly #shared: SharedAllocation | undefined;
  /** The newest sequence number this session published or adopted. */
  #seen = 0;
  /** The usage the client last reported, to tell a new answer's reading from one kept since. */
  #reported: ApiUsage | undefined;
  /** A reading not published yet (Redis was unreachable when it came): published before the next call. */
  #unpublished: ApiUsage | undefined;
  #publishing: Promise<void> | undefined;
  readonly #recheckMs: number;
  /** When the limits resource was last read (ms since the epoch). */
  #limitsReadAt = 0;
  /** API calls sent, retries included. */
  calls = 0;

  constructor(options: {
    readonly connect: () => Promise<SalesforceClient>;
    readonly secrets: () => readonly (string | undefined)[];
    readonly dailyReserve: number;
    readonly retry: RetryPolicy;
    /** Abandon a call that has not answered after this long (ms) and retry it; jsforce's own limit is 30 min. */
    readonly requestTimeoutMs: number;
    /** Shares the daily allocation's readings with the other processes calling the org. */
    readonly shared?: SharedAllocation | undefined;
    /**
     * While the reserve is reached no call is made, so no answer brings a newer reading: the limits resource is
     * read again at most this often (ms) to learn that the rolling window freed calls.
     */
    readonly reserveRecheckMs: number;
  }) {
    this.#recheckMs = options.reserveRecheckMs;
    this.#timeoutMs = options.requestTimeoutMs;
    this.#shared = options.shared;
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
        await this.#readLimits(client);
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
    await this.#adoptShared();
    if (this.reserve.reached && Date.now() - this.#limitsReadAt >= this.#recheckMs)
      await this.#readLimits(client);
    this.reserve.check();
    try {
      return await answerClock.run(this.clock, () =>
        withRetry(
          this.retry,
          this.fail,
          () => {
            this.calls++;
            return deadline(run(client), this.#timeoutMs);
          },
          beforeRetry,
        ),
      );
    } finally {
      const usage = client.apiUsage();
      if (usage && (usage.used !== this.#reported?.used || usage.limit !== this.#reported.limit)) {
        this.#reported = usage;
        this.#observe(usage);
      }
    }
  }

  /** Reads the daily allocation from the limits resource (one API call). */
  async #readLimits(client: SalesforceClient): Promise<void> {
    this.#limitsReadAt = Date.now();
    const daily = await withRetry(this.retry, this.fail, () => {
      this.calls++;
      return client.dailyApiRequests();
    });
    if (daily) this.#observe(daily);
  }

  /** Takes a reading this process saw in an answer, and shares it (at once, or before the next call). */
  #observe(usage: ApiUsage): void {
    this.reserve.observe(usage);
    if (!this.#shared) return;
    this.#unpublished = usage;
    // Sharing is best effort here, not to fail a call whose work is done: the next call publishes it or fails.
    this.#publish().catch(() => {});
  }

  /**
   * Publishes the readings not shared yet, one publication at a time, the newest last. A reading that comes while
   * the last publication ends waits for the next call, which publishes it first.
   */
  #publish(): Promise<void> {
    this.#publishing ??= this.#publishAll().finally(() => {
      this.#publishing = undefined;
    });
    return this.#publishing;
  }

  async #publishAll(): Promise<void> {
    for (let reading = this.#unpublished; this.#shared && reading; reading = this.#unpublished) {
      const seq = await this.#shared.gate.publish(this.#shared.name, reading);
      this.#seen = Math.max(this.#seen, seq);
      if (this.#unpublished === reading) this.#unpublished = undefined;
    }
  }

  /** Publishes a reading still unshared, then adopts one another process published since this one's last. */
  async #adoptShared(): Promise<void> {
    if (!this.#shared) return;
    if (this.#unpublished || this.#publishing) await this.#publish();
    const latest = await this.#shared.gate.latest(this.#shared.name);
    if (latest && latest.seq > this.#seen) {
      this.#seen = latest.seq;
      this.reserve.observe(latest);
      // A reading as fresh as a read of the limits resource: whoever reads that next shares it with the rest.
      this.#limitsReadAt = Date.now();
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
