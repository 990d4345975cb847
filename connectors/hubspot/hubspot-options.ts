import type { CallGate } from '../../src/connector/call-gate.ts';

/** HubSpot subscription tiers; the tier sets the default API limits. */
export type HubSpotTier = 'free' | 'starter' | 'professional' | 'enterprise';

/**
 * Client-side API budget. HubSpot's figures by tier (usage guidelines, Aug 2025) are the defaults; the burst
 * window is lowered to the portal's own when its answers report a smaller one (X-HubSpot-RateLimit-Max per
 * X-HubSpot-RateLimit-Interval-Milliseconds), since a portal's real budget can be below its tier's.
 */
export interface HubSpotLimits {
  /** Requests per rolling window (HubSpot: 100 per 10 s on Free/Starter, 190 on Professional/Enterprise). */
  readonly burst: number;
  /** The rolling window's length in ms (HubSpot: 10,000). */
  readonly windowMs: number;
  /** Search requests per second (HubSpot's changelog: 4). */
  readonly searchPerSecond: number;
  /** Extra spacing kept past each window's edge, against clock and network jitter. */
  readonly safetyMs: number;
}

export const TIER_LIMITS: Readonly<Record<HubSpotTier, HubSpotLimits>> = {
  free: { burst: 100, windowMs: 10_000, searchPerSecond: 4, safetyMs: 50 },
  starter: { burst: 100, windowMs: 10_000, searchPerSecond: 4, safetyMs: 50 },
  professional: { burst: 190, windowMs: 10_000, searchPerSecond: 4, safetyMs: 50 },
  enterprise: { burst: 190, windowMs: 10_000, searchPerSecond: 4, safetyMs: 50 },
};

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
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  timeoutMs: 30_000,
  maxRateLimitWaits: 20,
};

/**
 * Settings for one HubSpot portal: the resolved connection (secrets included, so never log this object) plus
 * tuning. Give either `accessToken` (a private-app token) or `clientId`, `clientSecret` and `refreshToken` (OAuth).
 */
export interface HubSpotConnectorOptions {
  /** Default https://api.hubapi.com; tests point it at the sandbox. */
  readonly baseUrl?: string | undefined;
  /** A private-app token; with OAuth, an access token to start with (optional). */
  readonly accessToken?: string | undefined;
  /** OAuth app id. */
  readonly clientId?: string | undefined;
  /** OAuth app secret. */
  readonly clientSecret?: string | undefined;
  /** OAuth refresh token, exchanged for access tokens. */
  readonly refreshToken?: string | undefined;
  /** A `HubSpotTier`; a string because resolved connection settings are strings. */
  readonly tier?: HubSpotTier | string | undefined;
  /** Overrides of the tier's limits (an undefined one keeps the tier's). */
  readonly limits?: { readonly [K in keyof HubSpotLimits]?: HubSpotLimits[K] | undefined } | undefined;
  /** Overrides of `DEFAULT_RETRY`. */
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Associated object types read with each pulled page, by object; defaults in `DEFAULT_ASSOCIATIONS`. */
  readonly associations?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Batch calls a push keeps in flight at once (the budget still paces them). */
  readonly pushConcurrency?: number | undefined;
  /**
   * Send contact creates that carry an e-mail as upserts by e-mail (default true), so that a create retried after a
   * lost response never makes a second contact.
   */
  readonly upsertContactsByEmail?: boolean | undefined;
  /**
   * A call budget shared with every other process calling this portal (the workers keep one in Redis); without
   * it, this process's budget is the only one.
   */
  readonly gate?: CallGate | undefined;
  /** Names the portal in `gate` (the connection's name); required with it, and never a secret. */
  readonly gateKey?: string | undefined;
  /** The largest answer accepted, in bytes (default 128 MiB): a larger one is refused as it arrives. */
  readonly maxAnswerBytes?: number | undefined;
  /** Passed through from the connection config; ignored. */
  readonly system?: string | undefined;
}

/** Associations read with each page by default: contact↔company, deal↔company/contact, lead→contact. */
export const DEFAULT_ASSOCIATIONS: Readonly<Record<string, readonly string[]>> = {
  contacts: ['companies'],
  companies: ['contacts'],
  deals: ['companies', 'contacts'],
  leads: ['contacts'],
};

export const DEFAULT_BASE_URL = 'https://api.hubapi.com';
