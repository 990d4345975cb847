import { setTimeout as sleep } from 'node:timers/promises';

/** Which limits a call counts against: every call against the burst window, search also against its own. */
export type CallKind = 'standard' | 'search';

export interface BudgetLimits {
  /** Calls per rolling window. */
  readonly burst: number;
  /** The window's length. */
  readonly windowMs: number;
  /** Search calls per rolling second. */
  readonly searchPerSecond: number;
  /** Extra spacing past each window's edge. */
  readonly safetyMs: number;
}

/**
 * A rolling window of calls. A call holds its slot while in flight and is dated by when its answer came back:
 * HubSpot counted it on arrival, which is no later than that, so the window can only be over-counted, never
 * under-counted, however late the request left the process.
 */
class RollingWindow {
  readonly #limit: number;
  readonly #length: number;
  readonly #done: number[] = [];
  #inFlight = 0;

  constructor(limit: number, length: number) {
    this.#limit = Math.max(1, limit);
    this.#length = length;
  }

  /** ms until one more call fits; Infinity when only a call in flight can free a slot. */
  waitFor(now: number, safety: number): number {
    const horizon = now - this.#length - safety;
    while (this.#done.length > 0 && (this.#done[0] ?? 0) <= horizon) this.#done.shift();
    const free = this.#limit - this.#inFlight - this.#done.length;
    if (free > 0) return 0;
    const index = -free;
    if (index >= this.#done.length) return Number.POSITIVE_INFINITY;
    return (this.#done[index] ?? 0) - horizon;
  }

  start(): void {
    this.#inFlight++;
  }

  finish(at: number): void {
    this.#inFlight--;
    this.#done.push(at);
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
  readonly #queue: { kind: CallKind; resolve: (release: () => void) => void }[] = [];
  #pausedUntil = 0;
  #pumping = false;
  #wake: (() => void) | undefined;
  #daily: { limit: number; remaining: number } | undefined;
  #dailyBlockedUntil = 0;

  constructor(limits: BudgetLimits) {
    this.#burst = new RollingWindow(limits.burst, limits.windowMs);
    this.#search = new RollingWindow(limits.searchPerSecond, 1000);
    this.#safety = limits.safetyMs;
  }

  /** Resolves when a call of this kind may start, with the function to call once its answer is in. */
  acquire(kind: CallKind): Promise<() => void> {
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
      headers['x-hubspot-ratelimit-daily'] !== undefined &&
      Number.isFinite(limit) &&
      Number.isFinite(remaining)
    ) {
      this.#daily = { limit, remaining };
      if (remaining <= 0) this.dailySpent();
    }
  }

  /**
   * The daily allowance is spent: refuse calls until the next UTC midnight, but for at most 15 minutes at a time,
   * because HubSpot resets it at midnight in the portal's time zone, which the API does not tell; a call after
   * that reads the allowance again.
   */
  dailySpent(now = Date.now()): void {
    const midnight = new Date(now).setUTCHours(24, 0, 0, 0);
    this.#dailyBlockedUntil = Math.max(this.#dailyBlockedUntil, now + Math.min(midnight - now, 15 * 60_000));
  }

  /** How long calls are refused because the daily allowance is spent (0 when they are not). */
  dailyWait(now = Date.now()): number {
    return Math.max(0, this.#dailyBlockedUntil - now);
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
        const search = head.kind === 'search';
        const wait = Math.max(
          this.#pausedUntil - now,
          this.#burst.waitFor(now, this.#safety),
          search ? this.#search.waitFor(now, this.#safety) : 0,
        );
        if (wait === Number.POSITIVE_INFINITY) {
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
          continue;
        }
        if (wait > 0) {
          await sleep(wait);
          continue;
        }
        this.#burst.start();
        if (search) this.#search.start();
        this.#queue.shift();
        let released = false;
        head.resolve(() => {
          if (released) return;
          released = true;
          const at = Date.now();
          this.#burst.finish(at);
          if (search) this.#search.finish(at);
          const wake = this.#wake;
          this.#wake = undefined;
          wake?.();
        });
      }
    } finally {
      this.#pumping = false;
    }
  }
}
