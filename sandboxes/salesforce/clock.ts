/** Salesforce's wire format for datetimes: `2026-01-31T12:00:00.000+0000`. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * The sandbox's clock for SystemModstamp: strictly increasing at millisecond precision, so that ordering by
 * (SystemModstamp, Id) is stable, unless a test pins it to force equal timestamps.
 */
export class ModstampClock {
  #last = 0;
  #pinned: number | undefined;

  /** The next timestamp (the pinned one while pinned). */
  next(): number {
    if (this.#pinned !== undefined) return this.#pinned;
    this.#last = Math.max(Date.now(), this.#last + 1);
    return this.#last;
  }

  /** Runs `body` with every write stamped with the same instant. */
  pinned<T>(body: () => T): T {
    this.#pinned = this.next();
    try {
      return body();
    } finally {
      this.#pinned = undefined;
    }
  }
}
