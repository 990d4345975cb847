import { setTimeout as sleep } from 'node:timers/promises';

/** Which limits a call counts against: every call against the burst window, search also against its own. */
export type CallKind = 'standard' | 'search';

export interface BudgetLimits {
  readonly burst: number;
  readonly windowMs: number;
  readonly searchPerSecond: number;
  readonly safetyMs: number;
}

/** Start times of the last `limit` calls: a rolling window as a ring of timestamps. */
class RollingWindow {
  readonly #starts: number[] = [];
  readonly #limit: number;
  readonly #length: number;

  constructor(limit: number, length: number) {
    this.#limit = Math.max(1, limit);
    this.#length = length;
  }

  /** How long until one more call fits. */
  waitFor(now: number, safety: number): number {
    if (this.#starts.length < this.#limit) return 0;
    return (this.#starts[this.#starts.length - this.#limit] ?? 0) + this.#length + safety - now;
  }

  add(now: number): void {
    this.#starts.push(now);
    if (this.#starts.length > this.#limit * 2) this.#starts.splice(0, this.#starts.length - this.#limit);
  }
}

/**
 * A client-side API budget: calls wait, first come first served, until they fit under the rolling burst window
 * and (for search) the per-second window, so that a 429 is the exception. A 429 pauses every caller for the
 * window it names. The daily allowance is read from HubSpot's response headers.
 */
export class RateBudget {
  readonly #burst: RollingWindow;
  readonly #search: RollingWindow;
  readonly #safety: number;
  readonly #queue: { kind: CallKind; resolve: () => void }[] = [];
  #pausedUntil = 0;
  #pumping = false;
  #daily: { limit: number; remaining: number } | undefined;

  constructor(limits: BudgetLimits) {
    this.#burst = new RollingWindow(limits.burst, limits.windowMs);
    this.#search = new RollingWindow(limits.searchPerSecond, 1000);
    this.#safety = limits.safetyMs;
  }

  /** Resolves when a call of this kind may start; the call is counted from then. */
  acquire(kind: CallKind): Promise<void> {
    return new Promise((resolve) => {
      this.#queue.push({ kind, resolve });
      if (!this.#pumping) void this.#pump();
    });
  }

  /** After a 429: no call starts for `ms`. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
  }

  /** Reads HubSpot's daily-limit headers from a response. */
  observe(headers: Readonly<Record<string, string>>): void {
    const limit = Number(headers['x-hubspot-ratelimit-daily']);
    const remaining = Number(headers['x-hubspot-ratelimit-daily-remaining']);
    if (
      Number.isFinite(limit) &&
      Number.isFinite(remaining) &&
      headers['x-hubspot-ratelimit-daily'] !== undefined
    ) {
      this.#daily = { limit, remaining };
    }
  }

  /** The daily allowance as HubSpot last reported it. */
  daily(): { readonly limit: number; readonly remaining: number } | undefined {
    return this.#daily;
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      for (let head = this.#queue[0]; head !== undefined; head = this.#queue[0]) {
        const now = Date.now();
        const wait = Math.max(
          this.#pausedUntil - now,
          this.#burst.waitFor(now, this.#safety),
          head.kind === 'search' ? this.#search.waitFor(now, this.#safety) : 0,
        );
        if (wait > 0) {
          await sleep(wait);
          continue;
        }
        this.#burst.add(now);
        if (head.kind === 'search') this.#search.add(now);
        this.#queue.shift();
        head.resolve();
      }
    } finally {
      this.#pumping = false;
    }
  }
}
