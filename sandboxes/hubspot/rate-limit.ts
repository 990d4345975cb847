import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../kit/index.ts';

/** The sandbox's limits; HubSpot's Free/Starter burst limit by default. */
export interface SandboxRateLimits {
  /** Requests per rolling window (HubSpot: 100 per 10 s on Free/Starter, 190 on Professional/Enterprise). */
  readonly perWindow: number;
  /** The rolling window's length; HubSpot's is 10 s, tests shorten it. */
  readonly windowMs: number;
  /** Search requests per second. */
  readonly searchPerSecond: number;
  /** Requests per day (reported in the daily headers; 429 once spent). */
  readonly daily: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxRateLimits = {
  perWindow: 100,
  windowMs: 10_000,
  searchPerSecond: 4,
  daily: 250_000,
};

/** Timestamps of accepted requests inside a rolling window. */
class Window {
  #times: number[] = [];
  #head = 0;

  size(now: number, length: number): number {
    while (this.#head < this.#times.length && (this.#times[this.#head] ?? 0) <= now - length) this.#head++;
    if (this.#head > 1024) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    return this.#times.length - this.#head;
  }

  add(now: number): void {
    this.#times.push(now);
  }
}

/** HubSpot's rolling limits: per window for every call, per second for search, per day; answers as HubSpot does. */
export class SandboxRateLimiter {
  limits: SandboxRateLimits = DEFAULT_SANDBOX_LIMITS;
  /** 429 responses sent, by policy. */
  readonly refused = { TEN_SECONDLY_ROLLING: 0, SECONDLY: 0, DAILY: 0 };
  #burst = new Window();
  #search = new Window();
  #day = 0;

  reset(): void {
    this.#burst = new Window();
    this.#search = new Window();
    this.#day = 0;
    this.refused.TEN_SECONDLY_ROLLING = 0;
    this.refused.SECONDLY = 0;
    this.refused.DAILY = 0;
  }

  /** Admits a request (returning the headers to send) or refuses it with HubSpot's 429. */
  admit(isSearch: boolean, now = Date.now()): { headers: Record<string, string> } | SandboxResponse {
    const { perWindow, windowMs, searchPerSecond, daily } = this.limits;
    const used = this.#burst.size(now, windowMs);
    const headers = (remaining: number): Record<string, string> => ({
      'X-HubSpot-RateLimit-Max': String(perWindow),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(windowMs),
      'X-HubSpot-RateLimit-Daily': String(daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, daily - this.#day)),
    });
    if (this.#day >= daily) return this.#refuse('DAILY', 'You have reached your daily limit.', headers(0));
    if (used >= perWindow) {
      return this.#refuse(
        'TEN_SECONDLY_ROLLING',
        'You have reached your ten_secondly_rolling limit.',
        headers(0),
      );
    }
    if (isSearch && this.#search.size(now, 1000) >= searchPerSecond) {
      return this.#refuse('SECONDLY', 'You have reached your secondly limit.', headers(perWindow - used));
    }
    this.#burst.add(now);
    if (isSearch) this.#search.add(now);
    this.#day++;
    return { headers: headers(perWindow - used - 1) };
  }

  #refuse(
    policyName: keyof SandboxRateLimiter['refused'],
    message: string,
    headers: Record<string, string>,
  ): SandboxResponse {
    this.refused[policyName]++;
    return {
      status: 429,
      headers,
      body: { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName },
    };
  }
}

export function rateLimitedFault(): SandboxResponse {
  return {
    status: 429,
    body: {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName: 'TEN_SECONDLY_ROLLING',
    },
  };
}
