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
}

export const DEFAULT_SANDBOX_LIMITS: SandboxRateLimits = {
  perWindow: 40,
  windowMs: 2000,
  dailyWrites: 10_000,
};

/**
 * Pipedrive's burst limit: a rolling window of requests per token, reported on every answer in
 * `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (whole seconds until a request fits
 * again), with a 429 "Request over limit" once it is full; and the daily allowance of writes.
 */
export class SandboxRateLimiter {
  limits: SandboxRateLimits = DEFAULT_SANDBOX_LIMITS;
  /** 429 answers sent. */
  refused = 0;
  readonly #windows = new Map<string, number[]>();
  #writes = 0;

  reset(): void {
    this.#windows.clear();
    this.#writes = 0;
    this.refused = 0;
  }

  /** Admits a request of `token` (returning the headers to send) or refuses it with Pipedrive's 429. */
  admit(
    token: string,
    isWrite: boolean,
    now = Date.now(),
  ): { headers: Record<string, string> } | SandboxResponse {
    const { perWindow, windowMs, dailyWrites } = this.limits;
    const times = (this.#windows.get(token) ?? []).filter((t) => t > now - windowMs);
    this.#windows.set(token, times);
    const resetSeconds = () => Math.max(1, Math.ceil(((times[0] ?? now) + windowMs - now) / 1000));
    const headers = (remaining: number): Record<string, string> => ({
      'x-ratelimit-limit': String(perWindow),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-reset': String(resetSeconds()),
      ...(isWrite ? { 'x-daily-requests-left': String(Math.max(0, dailyWrites - this.#writes)) } : {}),
    });
    if (times.length >= perWindow || (isWrite && this.#writes >= dailyWrites)) {
      this.refused++;
      const refusal = fail(429, 'Request over limit');
      return { ...refusal, headers: headers(0) };
    }
    times.push(now);
    if (isWrite) this.#writes++;
    return { headers: headers(perWindow - times.length) };
  }
}
