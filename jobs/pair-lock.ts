import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ownKey } from './names.ts';

/** A held lock. */
export interface Lease {
  /** Stops renewing and deletes the lock, if it is still ours. */
  release(): Promise<void>;
  /**
   * Stops renewing but keeps the lock for `ms` more: a round waiting for its push jobs holds its pair while no
   * process runs it (the push jobs extend it again with `hold`).
   */
  keep(ms: number): Promise<void>;
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

  /**
   * Takes the pair's lock, or answers undefined when another round holds it. `owner` (a run id) takes it again
   * when it already holds it: a round split into jobs comes back to its lock at each step, maybe in another process.
   */
  async acquire(pair: string, owner: string = randomUUID()): Promise<Lease | undefined> {
    const key = this.key(pair);
    const token = owner;
    const ok = await this.#redis.set(key, token, 'PX', this.#ttlMs, 'NX');
    if (ok !== 'OK' && Number(await this.#redis.eval(RENEW, 1, key, token, String(this.#ttlMs))) === 0)
      return undefined;
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
      keep: async (ms) => {
        clearInterval(timer);
        await this.#redis.eval(RENEW, 1, key, token, String(ms));
      },
    };
  }

  /** Extends `owner`'s lock to `ms` from now; false when the lock is not (or no longer) `owner`'s. */
  async hold(pair: string, owner: string, ms: number): Promise<boolean> {
    return Number(await this.#redis.eval(RENEW, 1, this.key(pair), owner, String(ms))) === 1;
  }

  /**
   * Runs one of a round's child jobs (a push batch, a slice step) while keeping the round's lock `ms` ahead: at the
   * start, every third of `ms` while it runs, and so for `ms` past its end (the round's job holds no worker while its
   * children run). A lock no longer the round's is reported through `lost` and the work goes on: what a round's
   * child does can be done again.
   */
  async holding<T>(
    pair: string,
    owner: string,
    ms: number,
    lost: () => void,
    work: () => Promise<T>,
  ): Promise<T> {
    const hold = () => this.hold(pair, owner, ms).catch(() => false);
    if (!(await hold())) lost();
    const timer = setInterval(() => void hold(), Math.floor(ms / 3));
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  /** Who holds the pair's lock (a run id or a random token), if anyone. */
  holder(pair: string): Promise<string | null> {
    return this.#redis.get(this.key(pair));
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
