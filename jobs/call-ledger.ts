import type { SyncContext } from '../src/sync/context.ts';
import { apiCalls, callsBetween } from '../src/sync/round.ts';

/**
 * The API calls this process made since the last `take`, per connection. A worker process serves one pair and a
 * pair runs one round at a time, so whatever its connectors did between two takes belongs to the round at hand:
 * each step and each push batch takes what it made, and the round adds them up, every call counted once even when
 * several batches run at once in one process.
 */
export class CallLedger {
  readonly #ctx: SyncContext;
  #last: Record<string, number>;

  constructor(ctx: SyncContext) {
    this.#ctx = ctx;
    this.#last = apiCalls(ctx);
  }

  take(): Record<string, number> {
    const now = apiCalls(this.#ctx);
    const made = callsBetween(this.#last, now);
    this.#last = now;
    return Object.fromEntries(Object.entries(made).filter(([, n]) => n !== 0));
  }
}
