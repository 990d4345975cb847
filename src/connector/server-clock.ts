import type { Page } from './types.ts';

/** A moment on this machine, to be turned into the CRM's time once an answer has come. */
export interface ClockMark {
  /** `performance.now()` at the mark. */
  readonly at: number;
  /** `Date.now()` at the mark: the fallback when no answer brings a `Date`. */
  readonly local: number;
  /** Dated answers seen before the mark. */
  readonly seen: number;
}

/** How long an answer's `Date` keeps sharpening the estimate of the CRM's clock (the two clocks barely drift in it). */
const SAMPLE_LIFE_MS = 10 * 60_000;

/**
 * A CRM's own clock, as the `Date` header of its answers gives it (Salesforce, HubSpot and Pipedrive send one with
 * every answer, as HTTP asks of a server with a clock). A connector's transport hands it every answer's header.
 *
 * The CRM's time, not this machine's: a pull's start is compared with the modification times the CRM stamps, and
 * this machine's clock may be off the CRM's by more than `sync.overlap`.
 */
export class ServerClock {
  /**
   * The most the CRM's clock is ahead of `performance.now()` by, as far as the answers of the last
   * `SAMPLE_LIFE_MS` show, and when the answer that showed it arrived.
   */
  #best: { readonly offset: number; readonly at: number } | undefined;
  #seen = 0;

  /** Takes an answer's `Date` header; an answer without one (or with one that does not parse) is left out. */
  observe(date: string | undefined): void {
    if (date === undefined) return;
    const ms = Date.parse(date);
    if (Number.isNaN(ms)) return;
    const at = performance.now();
    const offset = ms - at;
    const best = this.#best;
    if (best === undefined || offset >= best.offset || at - best.at > SAMPLE_LIFE_MS)
      this.#best = { offset, at };
    this.#seen++;
  }

  mark(): ClockMark {
    return { at: performance.now(), local: Date.now(), seen: this.#seen };
  }

  /**
   * The CRM's time at `mark`, never later than it was. A `Date` is stamped before its answer arrives and drops the
   * milliseconds, so a `Date` less the time from the mark to its answer's arrival is no later than the CRM's time
   * at the mark, and up to a second earlier; of the recent answers, the one that gives the latest time is taken,
   * which a round's many answers bring close to the CRM's time. When no answer since the mark had a `Date`, this
   * machine's clock at the mark is all there is: it stands in for the CRM's.
   */
  timeAt(mark: ClockMark): Date {
    const best = this.#best;
    if (best === undefined || this.#seen === mark.seen) return new Date(mark.local);
    return new Date(mark.at + best.offset);
  }
}

/**
 * A pull's pages, passed on as they come, and when the pull began in the CRM's clock told to `onPulledAt` once it
 * ends. The mark is set before its first request. Besides the `Date` of the answers, each page's newest record
 * bounds it: a record's modification time is stamped before the record can be read, so that time less the time
 * from the mark to the page's arrival is no later than the CRM's time at the mark either, and closer than a `Date`
 * (whole seconds) when the record changed just before the pull.
 */
export async function* timedPull<T>(
  clock: ServerClock,
  pages: AsyncIterable<Page<T>>,
  onPulledAt: ((at: string) => void) | undefined,
): AsyncGenerator<Page<T>> {
  if (onPulledAt === undefined) return yield* pages;
  const mark = clock.mark();
  let newest = Number.NEGATIVE_INFINITY;
  try {
    for await (const page of pages) {
      if (page.cursor !== undefined) {
        const since = performance.now() - mark.at;
        newest = Math.max(newest, Date.parse(page.cursor.modifiedAt) - since);
      }
      yield page;
    }
  } finally {
    onPulledAt(new Date(Math.max(clock.timeAt(mark).getTime(), newest)).toISOString());
  }
}
