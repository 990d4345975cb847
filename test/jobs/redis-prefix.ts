import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { readEnv } from '../../src/env.ts';

/** Redis for tests: REDIS_URL or loopback. */
export const REDIS_URL = readEnv().REDIS_URL;

/** A queue prefix no other test uses, with a hash tag like the production default. */
export const testPrefix = (): string => `{crm-bridge-test-${randomBytes(5).toString('hex')}}`;

/** Every key under a prefix, for clean-ups and for scanning what crm-bridge stores in Redis. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Deletes every key under a prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await keysUnder(redis, prefix);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` holds (or fails the test after `timeoutMs`). */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
