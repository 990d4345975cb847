import type { SandboxResponse } from '../kit/index.ts';
import { fail } from './wire.ts';

/** The sandbox's limits, per API token. */
export interface SandboxRateLimits {
  /**
   * Requests per rolling window (Pipedrive, per api_token and 2 s: 20 on Essential, 40 Advanced, 80 Professional,
   * 120 Enterprise).
   */
  readonly perWindow: number;
  /** The window's length; Pipedrive's is 2 s. */
  readonly windowMs: number;
  /** POST, PUT and PATCH requests per UTC day (reported in `x-daily-requests-left`; 429 once spent). */
  readonly dailyWrites: number;
  /**
   * The company's daily token budget (Pipedrive: 30,000 base tokens × plan multiplier × seats): each request costs
   * tokens by its kind (`tokenCost`), and once the budget is spent every request is refused with a 429 until the
   * next UTC day, `x-ratelimit-reset` counting the seconds to it.
   */
  readonly dailyTokens: number;
}

/** What a request costs of the daily token budget, by endpoint (Pipedrive's published costs, rounded). */
export function tokenCost(endpoint: string): number {
  const [method = 'GET', path = ''] = endpoint.split(' ');
  if (path.endsWith('/search')) return 40;
  if (method === 'DELETE') return 6;
  if (method !== 'GET') return 10;
  return path.endsWith('/:id') || path.includes('/convert/status') ? 2 : 20;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxRateLimits = {
  perWindow: 40,
  windowMs: 2000,
  dailyWrites: 10_000,
  dailyTokens: 30_000,
};

/**
 * Pipedrive's burst limit: a rolling window of requests per token, reported on every answer in
 * `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (whole seconds until a request fits
 * again), with a 429 "Request over limit" once it is full; the daily allowance of writes; and the company's
 * daily token budget.
 */
export class SandboxRateLimiter {
  limits: SandboxRateLimits = DEFAULT_SANDBOX_LIMITS;
  /** 429 answers sent. */
  refused = 0;
  readonly #windows = new Map<string, number[]>();
  #writes = 0;
  /** Tokens spent today by the whole company. */
  tokensUsed = 0;

  reset(): void {
    this.#windows.clear();
    this.#writes = 0;
    this.tokensUsed = 0;
    this.refused = 0;
  }

  /** Admits a request of `token` (returning the headers to send) or refuses it with Pipedrive's 429. */
  admit(
    token: string,
    endpoint: string,
    now = Date.now(),
  ): { headers: Record<string, string> } | SandboxResponse {
    const { perWindow, windowMs, dailyWrites, dailyTokens } = this.limits;
    const isWrite = !endpoint.startsWith('GET ');
    const cost = tokenCost(endpoint);
    const times = (this.#windows.get(token) ?? []).filter((t) => t > now - windowMs);
    this.#windows.set(token, times);
    const resetSeconds = () => Math.max(1, Math.ceil(((times[0] ?? now) + windowMs - now) / 1000));
    const headers = (remaining: number): Record<string, string> => ({
      'x-ratelimit-limit': String(perWindow),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-reset': String(resetSeconds()),
      ...(isWrite ? { 'x-daily-requests-left': String(Math.max(0, dailyWrites - this.#writes)) } : {}),
    });
    if (this.tokensUsed + cost > dailyTokens) {
      this.refused++;
      const midnight = new Date(now).setUTCHours(24, 0, 0, 0);
      return {
        ...fail(429, 'Daily token budget exceeded'),
        headers: { ...headers(0), 'x-ratelimit-reset': String(Math.ceil((midnight - now) / 1000)) },
      };
    }
    if (times.length >= perWindow || (isWrite && this.#writes >= dailyWrites)) {
      this.refused++;
      const refusal = fail(429, 'Request over limit');
      return { ...refusal, headers: headers(0) };
    }
    times.push(now);
    this.tokensUsed += cost;
    if (isWrite) this.#writes++;
    return { headers: headers(perWindow - times.length) };
  }
}
