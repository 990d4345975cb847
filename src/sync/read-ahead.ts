/**
 * An async iterable drained ahead of its reader into a buffer, up to a weight (records, not pages: pages differ in
 * size from one CRM to another). The source is read at once, in the background; the reader takes its items in
 * order, and an error the source threw comes to the reader at the point where it happened. `limit` can change
 * while it runs (a connection read ahead while another is taken in needs more room than the one being taken in).
 * `stop()` ends the source after the item it is on (its `return()` runs) and waits for it.
 */
export class ReadAhead<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #weight = 0;
  #limit: number;
  #done = false;
  #failed: { readonly error: unknown } | undefined;
  #stopped = false;
  /** Wakes the reader when an item, the end or an error comes in. */
  #toReader: (() => void) | undefined;
  /** Wakes the source when the buffer has room again, or when it is stopped. */
  #toSource: (() => void) | undefined;
  readonly #running: Promise<void>;
  readonly #weigh: (item: T) => number;

  constructor(source: AsyncIterable<T>, weigh: (item: T) => number, limit: number) {
    this.#weigh = weigh;
    this.#limit = limit;
    this.#running = this.#drain(source);
  }

  /** The weight buffered before the source waits for the reader. */
  setLimit(limit: number): void {
    this.#limit = limit;
    this.#wake('source');
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake('source');
    await this.#running;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        this.#weight -= this.#weigh(item);
        this.#wake('source');
        yield item;
        continue;
      }
      if (this.#failed !== undefined) throw this.#failed.error;
      if (this.#done) return;
      await new Promise<void>((resolve) => {
        this.#toReader = resolve;
      });
    }
  }

  async #drain(source: AsyncIterable<T>): Promise<void> {
    try {
      for await (const item of source) {
        this.#items.push(item);
        this.#weight += this.#weigh(item);
        this.#wake('reader');
        while (this.#weight >= this.#limit && !this.#stopped)
          await new Promise<void>((resolve) => {
            this.#toSource = resolve;
          });
        if (this.#stopped) return;
      }
    } catch (error) {
      this.#failed = { error };
    } finally {
      this.#done = true;
      this.#wake('reader');
    }
  }

  #wake(who: 'reader' | 'source'): void {
    const wake = who === 'reader' ? this.#toReader : this.#toSource;
    if (who === 'reader') this.#toReader = undefined;
    else this.#toSource = undefined;
    wake?.();
  }
}
