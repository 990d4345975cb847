import { setTimeout as sleep } from 'node:timers/promises';
import type { CallGate, GateRelease, GateWindow } from '../../src/connector/call-gate.ts';

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

/** A budget shared with every other process calling the same portal. */
export interface SharedBudget {
  readonly gate: CallGate;
  /** Names the portal's windows in the gate (`hubspot:<key>:burst`): the connection's name, never a secret. */
  readonly key: string;
}

/**
 * A rolling window of calls. A call holds its slot while in flight and is dated by when its answer came back:
 * HubSpot counted it on arrival, which is no later than that, so the window can only be over-counted, never
 * under-counted, however late the request left the process. Its limit and length can change (when the portal
 * reports its own) without forgetting the calls already made.
 */
class RollingWindow {
  #limit: number;
  #length: number;
  /** The longest length used so far: answers are kept that long, in case the window grows back. */
  #keep: number;
  /** When each finished call's answer came back, oldest first. */
  readonly #done: number[] = [];
  #inFlight = 0;

  constructor(limit: number, length: number) {
    this.#limit = Math.max(1, limit);
    this.#length = length;
    this.#keep = length;
  }

  /** Calls started whose answers have not come back. */
  get inFlight(): number {
    return this.#inFlight;
  }

  resize(limit: number, length: number): void {
    this.#limit = Math.max(1, limit);
    this.#length = length;
    this.#keep = Math.max(this.#keep, length);
  }

  /** ms until one more call fits; Infinity when only a call in flight can free a slot. */
  waitFor(now: number, safety: number): number {
    while (this.#done.length > 0 && (this.#done[0] ?? 0) <= now - this.#keep - safety) this.#done.shift();
    const horizon = now - this.#length - safety;
    let first = 0;
    while (first < this.#done.length && (this.#done[first] ?? 0) <= horizon) first++;
    const free = this.#limit - this.#inFlight - (this.#done.length - first);
    if (free > 0) return 0;
    const index = first - free;
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

/** A limit of calls per rolling window. */
export interface BurstWindow {
  /** Calls allowed in any window. */
  readonly burst: number;
  readonly windowMs: number;
}

/**
 * The burst window to keep when the portal reports `max` calls per `intervalMs` and the tier allows `tier`: the
 * portal's window, holding no more calls than either allows. The tier's limit is carried over to the portal's
 * window in proportion when that window is shorter (190 per 10 s is 19 per second), and whole when it is longer,
 * so that a budget kept in the portal's window also keeps the tier's.
 */
export function portalWindow(tier: BurstWindow, max: number, intervalMs: number): BurstWindow {
  const tierInInterval =
    intervalMs < tier.windowMs ? Math.floor((tier.burst * intervalMs) / tier.windowMs) : tier.burst;
  return { burst: Math.max(1, Math.min(max, tierInInterval)), windowMs: intervalMs };
}

/** A positive whole number from a header, if it holds one. */
function headerNumber(headers: Readonly<Record<string, string>>, name: string): number | undefined {
  const value = Number(headers[name]);
  return headers[name] !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * A client-side API budget: calls wait, first come first served, until they fit under the rolling burst window
 * and (for search) the per-second window, so that a 429 is the exception. A 429 pauses every caller for the
 * window it names. The daily allowance is read from HubSpot's response headers; every process reads the same
 * portal-wide figure, so it needs no sharing.
 *
 * The burst window starts as the tier's and follows the portal: HubSpot's answers (not search's) report the
 * portal's own limit in `X-HubSpot-RateLimit-Max` per `X-HubSpot-RateLimit-Interval-Milliseconds`, which can be
 * lower than the tier's; the first answer that carries them sets the window to the smaller of the two (see
 * `portalWindow`), and any later answer that reports other figures moves it again. Until a first answer is in,
 * one call is in flight at a time, so that a portal with a lower limit than the tier's is not overrun while its
 * figures are unknown.
 *
 * With a `SharedBudget`, a call that has its slot here also takes one in the gate's windows, which count the
 * calls of every process: this process's windows alone would let three workers make three times the portal's
 * limit between them. The gate's burst window carries this process's current limit and length, so the portal's
 * lower limit is what the gate enforces once the process has seen it.
 */
export class RateBudget {
  readonly #burst: RollingWindow;
  readonly #search: RollingWindow;
  readonly #safety: number;
  readonly #tier: BurstWindow;
  #window: BurstWindow;
  /** The portal's figures as last reported: `max` calls per `intervalMs`. */
  #portal: { readonly max: number; readonly intervalMs: number } | undefined;
  #answered = false;
  readonly #queue: { kind: CallKind; resolve: (release: () => void) => void }[] = [];
  #pausedUntil = 0;
  #pumping = false;
  #wake: (() => void) | undefined;
  #daily: { limit: number; remaining: number } | undefined;
  #dailyBlockedUntil = 0;
  readonly #shared:
    | { readonly gate: CallGate; readonly key: string; readonly search: GateWindow }
    | undefined;

  constructor(limits: BudgetLimits, shared?: SharedBudget) {
    this.#tier = { burst: limits.burst, windowMs: limits.windowMs };
    this.#window = this.#tier;
    this.#burst = new RollingWindow(limits.burst, limits.windowMs);
    this.#search = new RollingWindow(limits.searchPerSecond, 1000);
    this.#safety = limits.safetyMs;
    // Like this process's windows, the gate's keep each call `safetyMs` past the window's edge.
    this.#shared = shared && {
      gate: shared.gate,
      key: shared.key,
      search: {
        name: `hubspot:${shared.key}:search`,
        limit: limits.searchPerSecond,
        windowMs: 1000 + limits.safetyMs,
      },
    };
  }

  /** The burst window calls are kept under now: the tier's, or the portal's once it reported a lower one. */
  current(): BurstWindow {
    return this.#window;
  }

  /** The gate's burst window, with this process's current limit and length. */
  #sharedBurst(key: string): GateWindow {
    return {
      name: `hubspot:${key}:burst`,
      limit: this.#window.burst,
      windowMs: this.#window.windowMs + this.#safety,
    };
  }

  /** Resolves when a call of this kind may start, with the function to call once its answer is in. */
  async acquire(kind: CallKind): Promise<() => void> {
    const release = await new Promise<() => void>((resolve) => {
      this.#queue.push({ kind, resolve });
      if (!this.#pumping) void this.#pump();
    });
    if (this.#shared === undefined) return release;
    const { gate, key, search } = this.#shared;
    const burst = this.#sharedBurst(key);
    let releaseShared: GateRelease;
    try {
      releaseShared = await gate.take(kind === 'search' ? [burst, search] : [burst]);
    } catch (error) {
      release();
      throw error;
    }
    return () => {
      release();
      // A release that never reaches the gate leaves the slots held until the gate's lease ends: the portal's
      // calls are over-counted for a while, never under-counted, so the call's own outcome does not wait on it.
      void releaseShared().catch(() => undefined);
    };
  }

  /** After a 429: no call of this process starts for `ms`. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
  }

  /**
   * After a 429 for `policy`: pauses this process's calls for `ms` and, with a shared budget, every process's
   * calls through the window the policy names (search alone after `SECONDLY`, any call after the rolling limit).
   */
  async rateLimited(policy: string | undefined, ms: number): Promise<void> {
    this.pause(ms);
    if (this.#shared === undefined) return;
    const { gate, key, search } = this.#shared;
    await gate.pause(policy === 'SECONDLY' ? search.name : this.#sharedBurst(key).name, ms);
  }

  /** Reads HubSpot's rate-limit headers from a response: the portal's burst window and the daily allowance. */
  observe(headers: Readonly<Record<string, string>>): void {
    const max = headerNumber(headers, 'x-hubspot-ratelimit-max');
    const intervalMs = headerNumber(headers, 'x-hubspot-ratelimit-interval-milliseconds');
    if (
      max !== undefined &&
      intervalMs !== undefined &&
      (max !== this.#portal?.max || intervalMs !== this.#portal.intervalMs)
    ) {
      this.#portal = { max, intervalMs };
      this.#window = portalWindow(this.#tier, max, intervalMs);
      this.#burst.resize(this.#window.burst, this.#window.windowMs);
      this.#wakeUp();
    }
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

  /** Lets the pump look again at a queue that waits for a call in flight. */
  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      for (let head = this.#queue[0]; head !== undefined; head = this.#queue[0]) {
        const now = Date.now();
        const search = head.kind === 'search';
        const wait = Math.max(
          this.#pausedUntil - now,
          // Until the portal's first answer, one call at a time.
          !this.#answered && this.#burst.inFlight > 0 ? Number.POSITIVE_INFINITY : 0,
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
          this.#answered = true;
          this.#burst.finish(at);
          if (search) this.#search.finish(at);
          this.#wakeUp();
        });
      }
    } finally {
      this.#pumping = false;
    }
  }
}
