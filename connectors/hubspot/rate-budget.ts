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
 * window it names. The daily allowance is read from HubSpot's response headers; every process reads the same
 * portal-wide figure, so it needs no sharing.
 *
 * With a `SharedBudget`, a call that has its slot here also takes one in the gate's windows, which count the
 * calls of every process: this process's windows alone would let three workers make three times the portal's
 * limit between them.
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
  readonly #shared:
    | { readonly gate: CallGate; readonly burst: GateWindow; readonly search: GateWindow }
    | undefined;

  constructor(limits: BudgetLimits, shared?: SharedBudget) {
    this.#burst = new RollingWindow(limits.burst, limits.windowMs);
    this.#search = new RollingWindow(limits.searchPerSecond, 1000);
    this.#safety = limits.safetyMs;
    // Like this process's windows, the gate's keep each call `safetyMs` past the window's edge.
    this.#shared = shared && {
      gate: shared.gate,
      burst: {
        name: `hubspot:${shared.key}:burst`,
        limit: limits.burst,
        windowMs: limits.windowMs + limits.safetyMs,
      },
      search: {
        name: `hubspot:${shared.key}:search`,
        limit: limits.searchPerSecond,
        windowMs: 1000 + limits.safetyMs,
      },
    };
  }

  /** Resolves when a call of this kind may start, with the function to call once its answer is in. */
  async acquire(kind: CallKind): Promise<() => void> {
    const release = await new Promise<() => void>((resolve) => {
      this.#queue.push({ kind, resolve });
      if (!this.#pumping) void this.#pump();
    });
    if (this.#shared === undefined) return release;
    const { gate, burst, search } = this.#shared;
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
    const { gate, burst, search } = this.#shared;
    await gate.pause(policy === 'SECONDLY' ? search.name : burst.name, ms);
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
