import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ownKey } from './names.ts';

/**
 * Takes a slot in a rolling window if one is free and answers 0, else answers how many ms until the oldest slot
 * leaves the window. Redis's own clock dates the slots, so processes with skewed clocks share one window.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/** A call budget: `limit` calls per rolling `windowMs`. */
export interface WindowLimits {
  /** Calls allowed in any window. */
  readonly limit: number;
  /** The window's length. */
  readonly windowMs: number;
}

/**
 * An API call budget shared through Redis by every worker process calling the same account (a HubSpot portal's
 * 10-second burst window, for instance): each call takes a slot first, waiting as long as Redis says. The first
 * building block of the push queues' shared rate limiting (see README.md, next slice).
 */
export class SharedWindow {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #limits: WindowLimits;

  constructor(redis: Redis, prefix: string, name: string, limits: WindowLimits) {
    this.#redis = redis;
    this.#key = ownKey(prefix, 'window', name);
    this.#limits = limits;
  }

  /** Resolves once a call may go out; `signal` gives up waiting. */
  async take(signal?: AbortSignal): Promise<void> {
    const member = randomUUID();
    for (;;) {
      signal?.throwIfAborted();
      const wait = Number(
        await this.#redis.eval(TAKE, 1, this.#key, this.#limits.limit, this.#limits.windowMs, member),
      );
      if (wait === 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Runs `call` once it fits in the window. */
  async run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.take(signal);
    return call();
  }
}
