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

/**
 * A CRM's own clock, as the `Date` header of its answers gives it (Salesforce, HubSpot and Pipedrive send one with
 * every answer, as HTTP asks of a server with a clock). A connector's transport hands it every answer's header.
 *
 * The CRM's time, not this machine's: a pull's start is compared with the modification times the CRM stamps, and
 * this machine's clock may be off the CRM's by more than `sync.overlap`.
 */
export class ServerClock {
  /** The last dated answer: its `Date` (ms) and when it arrived here (`performance.now()`). */
  #last: { readonly date: number; readonly at: number } | undefined;
  #seen = 0;

  /** Takes an answer's `Date` header; an answer without one (or with one that does not parse) is left out. */
  observe(date: string | undefined): void {
    if (date === undefined) return;
    const ms = Date.parse(date);
    if (Number.isNaN(ms)) return;
    this.#last = { date: ms, at: performance.now() };
    this.#seen++;
  }

  mark(): ClockMark {
    return { at: performance.now(), local: Date.now(), seen: this.#seen };
  }

  /**
   * The CRM's time at `mark`, never later than it was: the `Date` of the last answer since, less the time between
   * the mark and that answer's arrival. A `Date` is stamped before its answer arrives and drops the milliseconds,
   * so both can only make it earlier, by the answer's latency and up to a second. When no answer since the mark
   * had a `Date`, this machine's clock at the mark is all there is: it stands in for the CRM's.
   */
  timeAt(mark: ClockMark): Date {
    const last = this.#last;
    if (last === undefined || this.#seen === mark.seen) return new Date(mark.local);
    return new Date(last.date - (last.at - mark.at));
  }
}

/**
 * A pull's pages, passed on as they come, and when the pull began in the CRM's clock told to `onPulledAt`: the
 * mark is set before its first request, and read at its first page, or at its end when it finds nothing.
 */
export async function* timedPull<T>(
  clock: ServerClock,
  pages: AsyncIterable<Page<T>>,
  onPulledAt: ((at: string) => void) | undefined,
): AsyncGenerator<Page<T>> {
  if (onPulledAt === undefined) return yield* pages;
  const mark = clock.mark();
  let told = false;
  const tell = () => {
    if (told) return;
    told = true;
    onPulledAt(clock.timeAt(mark).toISOString());
  };
  for await (const page of pages) {
    tell();
    yield page;
  }
  tell();
}
