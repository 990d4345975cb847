import { setTimeout as sleep } from 'node:timers/promises';
import type { CallGate, GateRelease } from '../../src/connector/call-gate.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import { resetMs } from './pipedrive-errors.ts';
import type { PipedriveLimits } from './pipedrive-options.ts';

/** What the last answer said of the burst window. */
export interface BurstReading {
  readonly limit: number;
  readonly remaining: number;
}

/**
 * Pipedrive's burst limit on the client side: at most `burst` calls in any rolling window. A call holds a slot
 * while in flight and is then dated by when its answer came back: Pipedrive counted it on arrival, no later than
 * that, so the window can only be over-counted and a push of any size never meets a 429. The account's own limit
 * (`x-ratelimit-limit`) replaces the plan's once an answer reports it; a 429 pauses every call for the
 * `x-ratelimit-reset` it names, and an answer saying nothing is left (`x-ratelimit-remaining: 0`, the window
 * shared with another client of the token) for as long, at most a window. With a shared
 * `gate`, the window is the one every process calling the account takes its calls from.
 */
export class BurstBudget {
  #limit: number;
  readonly #windowMs: number;
  readonly #safetyMs: number;
  readonly #done: number[] = [];
  #inFlight = 0;
  #pausedUntil = 0;
  #reading: BurstReading | undefined;
  readonly #shared: { readonly gate: CallGate; readonly name: string } | undefined;

  constructor(limits: PipedriveLimits, shared?: { gate: CallGate; key: string }) {
    this.#limit = Math.max(1, limits.burst);
    this.#windowMs = limits.windowMs;
    this.#safetyMs = limits.safetyMs;
    this.#shared = shared && { gate: shared.gate, name: `pipedrive:${shared.key}:burst` };
  }

  /** The burst window as the last answer reported it. */
  reading(): BurstReading | undefined {
    return this.#reading;
  }

  /**
   * Waits until one more call fits; the returned function ends its hold once its answer is in. A pause longer than
   * `maxWaitMs` (the day's token budget spent) is not waited out: it throws `rate-limited` with the wait.
   */
  async acquire(maxWaitMs = Number.POSITIVE_INFINITY): Promise<GateRelease> {
    for (;;) {
      const paused = this.#pausedUntil - Date.now();
      if (paused > maxWaitMs) {
        throw new ConnectorFailure({
          kind: 'rate-limited',
          message: `Pipedrive refuses calls for ${Math.ceil(paused / 60_000)} more minutes: the account's daily token budget is spent`,
          code: 'DAILY_BUDGET',
          retryAfterMs: paused,
        });
      }
      if (paused > 0) {
        await sleep(paused);
        continue;
      }
      if (this.#shared) {
        return this.#shared.gate.take([
          { name: this.#shared.name, limit: this.#limit, windowMs: this.#windowMs + this.#safetyMs },
        ]);
      }
      const wait = this.#waitFor(Date.now());
      if (wait <= 0) break;
      await sleep(Number.isFinite(wait) ? wait : 5);
    }
    this.#inFlight++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      this.#done.push(Date.now());
    };
  }

  /** Reads an answer's rate-limit headers (429s included). */
  observe(status: number, headers: Readonly<Record<string, string>>): void {
    const limit = Number(headers['x-ratelimit-limit']);
    const remaining = Number(headers['x-ratelimit-remaining']);
    if (headers['x-ratelimit-limit'] !== undefined && Number.isInteger(limit) && limit > 0) {
      this.#limit = limit;
      this.#reading = { limit, remaining: Number.isFinite(remaining) ? remaining : limit };
    }
    if (status === 429) this.pause(resetMs(headers) ?? this.#windowMs);
    else if (headers['x-ratelimit-remaining'] !== undefined && remaining <= 0) {
      // The header counts whole seconds; the window itself is the better bound when it is shorter.
      this.pause(Math.min(resetMs(headers) ?? this.#windowMs, this.#windowMs));
    }
  }

  /** No call starts for `ms` (a longer pause already set is kept); shared with the other processes too. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms + this.#safetyMs);
    if (this.#shared)
      void this.#shared.gate.pause(this.#shared.name, ms + this.#safetyMs).catch(() => undefined);
  }

  #waitFor(now: number): number {
    const horizon = now - this.#windowMs - this.#safetyMs;
    while (this.#done.length > 0 && (this.#done[0] ?? 0) <= horizon) this.#done.shift();
    if (this.#inFlight + this.#done.length < this.#limit) return 0;
    const oldest = this.#done[this.#done.length + this.#inFlight - this.#limit];
    return oldest === undefined ? Number.POSITIVE_INFINITY : oldest - horizon + 1;
  }
}
