import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { CallGate, GateRelease, GateWindow, SharedReading } from '../src/connector/call-gate.ts';
import type { ApiUsage } from '../src/connector/types.ts';
import { ownKey } from './names.ts';

/** Redis's clock in ms: every process's calls are dated by it, so skewed local clocks still share one window. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS: each window's sorted set of calls, then each window's pause key. ARGV: the call's id, its lease, how
 * long to wait for calls in flight, then each window's limit and length. While any window is paused, answers the
 * pause's remaining ms. Else, if one more call fits in every window, adds it to all of them as in flight (dated
 * at the end of its lease, so that a process that dies mid-call frees its slots when the lease ends) and answers
 * 0. Else answers how long until it fits; only a poll interval when that waits on a call still in flight.
 */
const TAKE = `${NOW}
local n = #KEYS / 2
local wait = 0
for i = 1, n do
  wait = math.max(wait, redis.call('PTTL', KEYS[n + i]))
end
if wait > 0 then return wait end
for i = 1, n do
  local limit = tonumber(ARGV[2 + 2 * i])
  local length = tonumber(ARGV[3 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - length)
  local over = redis.call('ZCARD', KEYS[i]) - limit
  if over >= 0 then
    local at = tonumber(redis.call('ZRANGE', KEYS[i], over, over, 'WITHSCORES')[2])
    wait = math.max(wait, at > now and tonumber(ARGV[3]) or at + length - now)
  end
end
if wait > 0 then return wait end
local lease = now + tonumber(ARGV[2])
for i = 1, n do
  redis.call('ZADD', KEYS[i], lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2]) + tonumber(ARGV[3 + 2 * i]))
end
return 0
`;

/** KEYS: the call's windows. ARGV: its id, then each window's length. Dates the call now, by its answer. */
const RELEASE = `${NOW}
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[1 + i]) then redis.call('PEXPIRE', KEYS[i], ARGV[1 + i]) end
end
return 0
`;

/** KEYS: a window's pause key. ARGV: ms. Never shortens a longer pause already set. */
const PAUSE = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
`;

/** How long a shared allocation reading is kept: Salesforce's allocation is a rolling 24-hour window. */
const READING_TTL_MS = 24 * 60 * 60 * 1000;

/** KEYS: the allocation's hash. ARGV: used, limit, ttl. Stores the reading under the next sequence number. */
const PUBLISH = `
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('HSET', KEYS[1], 'used', ARGV[1], 'limit', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return seq
`;

const lengthOf = (window: GateWindow): number => Math.max(1, Math.ceil(window.windowMs));

export interface RedisCallGateOptions {
  /**
   * How long a call may hold its slots before they count as freed, for a process that died mid-call; longer
   * than any call's timeout. Default 60 s.
   */
  readonly leaseMs?: number;
  /**
   * How often a call asks again while a window is full of calls still in flight, whose end Redis cannot foresee.
   * Default 20 ms.
   */
  readonly pollMs?: number;
}

/**
 * The call budget every worker process calling the same account shares, in Redis under the queue prefix (so it
 * lives in the queues' Cluster slot): per window name, a sorted set of the random ids of recent calls, and a pause
 * key; per allocation, the last reading published. A call waits as long as Redis says, then asks again.
 */
export class RedisCallGate implements CallGate {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #pollMs: number;

  constructor(redis: Redis, prefix: string, options: RedisCallGateOptions = {}) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#leaseMs = Math.ceil(options.leaseMs ?? 60_000);
    this.#pollMs = Math.max(1, Math.ceil(options.pollMs ?? 20));
  }

  async take(windows: readonly GateWindow[], signal?: AbortSignal): Promise<GateRelease> {
    const id = randomUUID();
    const keys = windows.map((w) => ownKey(this.#prefix, 'window', w.name));
    const paused = windows.map((w) => this.#pauseKey(w.name));
    const sizes = windows.flatMap((w) => [Math.max(1, Math.floor(w.limit)), lengthOf(w)]);
    for (;;) {
      signal?.throwIfAborted();
      if (keys.length === 0) break;
      const wait = Number(
        await this.#redis.eval(
          TAKE,
          keys.length * 2,
          ...keys,
          ...paused,
          id,
          this.#leaseMs,
          this.#pollMs,
          ...sizes,
        ),
      );
      if (wait <= 0) break;
      await sleep(wait, undefined, signal ? { signal } : {});
    }
    let released = keys.length === 0;
    return async () => {
      if (released) return;
      released = true;
      await this.#redis.eval(RELEASE, keys.length, ...keys, id, ...windows.map(lengthOf));
    };
  }

  async pause(window: string, ms: number): Promise<void> {
    const length = Math.ceil(ms);
    if (length <= 0) return;
    await this.#redis.eval(PAUSE, 1, this.#pauseKey(window), length);
  }

  async publish(allocation: string, reading: ApiUsage): Promise<number> {
    const seq = await this.#redis.eval(
      PUBLISH,
      1,
      this.#allocationKey(allocation),
      Math.floor(reading.used),
      Math.floor(reading.limit),
      READING_TTL_MS,
    );
    return Number(seq);
  }

  async latest(allocation: string): Promise<SharedReading | undefined> {
    const [seq, used, limit] = await this.#redis.hmget(
      this.#allocationKey(allocation),
      'seq',
      'used',
      'limit',
    );
    if (seq == null || used == null || limit == null) return undefined;
    const reading = { seq: Number(seq), used: Number(used), limit: Number(limit) };
    return Object.values(reading).every(Number.isFinite) ? reading : undefined;
  }

  #allocationKey(allocation: string): string {
    return ownKey(this.#prefix, 'allocation', allocation);
  }

  #pauseKey(window: string): string {
    return ownKey(this.#prefix, 'paused', window);
  }
}
