import type { CallGate } from '../../src/connector/call-gate.ts';

/** Pipedrive plans; the plan sets the burst limit of an api_token. */
export type PipedrivePlan = 'essential' | 'advanced' | 'professional' | 'enterprise';

/** Requests per 2-second window per api_token, by plan (Pipedrive's rate-limiting docs). */
export const PLAN_BURST: Readonly<Record<PipedrivePlan, number>> = {
  essential: 20,
  advanced: 40,
  professional: 80,
  enterprise: 120,
};

/** The client's burst budget; the account's own `x-ratelimit-limit` replaces `burst` once an answer reports it. */
export interface PipedriveLimits {
  /** Requests per rolling window. */
  readonly burst: number;
  /** The window's length (Pipedrive: 2 s). */
  readonly windowMs: number;
  /** Extra spacing kept past the window's edge, against clock and network jitter. */
  readonly safetyMs: number;
}

/** How failed calls are retried. */
export interface RetryPolicy {
  /** Retries of a call that failed with a 5xx, a reset or a timeout. */
  readonly maxRetries: number;
  /** First backoff delay; doubled per attempt, with full jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A call that has not answered by then counts as failed (and is retried). */
  readonly timeoutMs: number;
  /** How many 429s in a row one call waits out before giving up with `rate-limited`. */
  readonly maxRateLimitWaits: number;
  /**
   * The longest pause a 429 is waited out for in process; a longer one (the day's token budget is spent) fails the
   * call at once as `rate-limited` with the wait, for the queue to wait instead of a worker.
   */
  readonly maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  timeoutMs: 30_000,
  maxRateLimitWaits: 20,
  maxWaitMs: 60_000,
};

export const DEFAULT_BASE_URL = 'https://api.pipedrive.com';

/**
 * Settings for one Pipedrive company account: the resolved connection (the token included, so never log this
 * object) plus tuning. Give `baseUrl` or `companyDomain`.
 */
export interface PipedriveConnectorOptions {
  /** The API's address without `/api/v1`: `https://acme.pipedrive.com`; tests point it at the sandbox. */
  readonly baseUrl?: string | undefined;
  /** The company's subdomain (`acme` for acme.pipedrive.com), when `baseUrl` is not given. */
  readonly companyDomain?: string | undefined;
  /** The API token (Settings → Personal preferences → API). */
  readonly apiToken?: string | undefined;
  /** A `PipedrivePlan`; a string because resolved connection settings are strings. */
  readonly plan?: PipedrivePlan | string | undefined;
  /** Overrides of the plan's limits. */
  readonly limits?: Partial<PipedriveLimits> | undefined;
  /** Overrides of `DEFAULT_RETRY`. */
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Writes a push keeps in flight at once (Pipedrive takes one record per call; the budget paces them). */
  readonly pushConcurrency?: number | undefined;
  /** How long Pipedrive's search index may trail a write (default 3 s): a lost create is looked for after it. */
  readonly searchLagMs?: number | undefined;
  /** How often a lead conversion job is asked for its status, and how many times before giving up. */
  readonly conversionPoll?: { readonly everyMs: number; readonly attempts: number } | undefined;
  /** A call budget shared with the other processes calling the same account. */
  readonly gate?: CallGate | undefined;
  /** Names the account's window in the gate (the connection's name); required with `gate`. */
  readonly gateKey?: string | undefined;
}
