/** Salesforce's wire format for datetimes: `2026-01-31T12:00:00.000+0000`. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * The sandbox's clock for SystemModstamp: the time of the write, never earlier than the last one (a clock stepped
 * back does not reorder writes). As in Salesforce, records written within the same instant share a stamp, so a
 * reader must break ties by Id; a test can pin the clock to force equal stamps across writes.
 */
export class ModstampClock {
  #last = 0;
  #pinned: number | undefined;

  /** The next timestamp (the pinned one while pinned). */
  next(): number {
    if (this.#pinned !== undefined) return this.#pinned;
    this.#last = Math.max(Date.now(), this.#last);
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
