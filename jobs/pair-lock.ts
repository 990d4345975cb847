import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ownKey } from './names.ts';

/** A held lock. */
export interface Lease {
  /** Stops renewing and deletes the lock, if it is still ours. */
  release(): Promise<void>;
}

// Compare-and-act scripts: only the holder (by its random token) may renew or release.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface PairLockOptions {
  /** How long the lock outlives a holder that died without releasing it. */
  readonly ttlMs?: number;
  /** Called when a renewal finds the lock gone (expired while Redis was unreachable, for instance). */
  readonly onLost?: (pair: string) => void;
}

/**
 * One sync round per pair at a time, across every worker process sharing the Redis: a key set with NX and an
 * expiry, renewed every third of it while the round runs. BullMQ's job ids alone cannot give this: each scheduler
 * tick is its own job, and a manual or replay request is another, so two jobs of one pair can be active at once.
 */
export class PairLocks {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #onLost: (pair: string) => void;

  constructor(redis: Redis, prefix: string, options: PairLockOptions = {}) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#onLost = options.onLost ?? (() => {});
  }

  key(pair: string): string {
    return ownKey(this.#prefix, 'lock', 'sync', pair);
  }

  /** Takes the pair's lock, or answers undefined when another round holds it. */
  async acquire(pair: string): Promise<Lease | undefined> {
    const key = this.key(pair);
    const token = randomUUID();
    const ok = await this.#redis.set(key, token, 'PX', this.#ttlMs, 'NX');
    if (ok !== 'OK') return undefined;
    let lost = false;
    const timer = setInterval(
      () => {
        this.#redis
          .eval(RENEW, 1, key, token, String(this.#ttlMs))
          .then((renewed) => {
            if (renewed === 0 && !lost) {
              lost = true;
              this.#onLost(pair);
            }
          })
          // A failed renewal is retried at the next tick; the expiry leaves room for two more.
          .catch(() => {});
      },
      Math.floor(this.#ttlMs / 3),
    );
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await this.#redis.eval(RELEASE, 1, key, token);
      },
    };
  }

  /** Waits up to `timeoutMs` for the lock (for short admin operations that must not interleave with a round). */
  async wait(pair: string, timeoutMs: number, pollMs = 250): Promise<Lease | undefined> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const lease = await this.acquire(pair);
      if (lease !== undefined || Date.now() >= until) return lease;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
