import { Redis } from 'ioredis';
import { reasonOf, redactUrl } from '../src/store/store-location.ts';

/** How long a command, or a worker starting, waits for Redis before saying it cannot be reached. */
export const REDIS_CONNECT_TIMEOUT_MS = 5_000;

/** Redis did not answer: the message names its URL (password removed) and what to do, in one line. */
export class RedisUnreachable extends Error {
  override readonly name = 'RedisUnreachable';

  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super(
      `Redis at ${redactUrl(url)} could not be reached (${reason}); start it, or set REDIS_URL to the Redis of the queues`,
      options,
    );
  }
}

/**
 * A Redis connection for BullMQ. `maxRetriesPerRequest: null` is what BullMQ requires of a worker's connection:
 * its blocking commands must wait through a Redis restart instead of failing after a few retries. With `lazy`, it
 * connects on its first command, so that one made before `checkRedis` can be let go of at once if Redis is away.
 */
export function connectRedis(url: string, { lazy = false }: { readonly lazy?: boolean } = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: lazy });
}

/**
 * A connection for a command that runs once (status, replay), connected when it resolves, or a `RedisUnreachable`
 * within `timeoutMs`. It fails fast afterwards too: no reconnecting, and commands sent while it is down fail
 * instead of waiting, so a command never hangs on a Redis that went away.
 */
export async function openRedis(url: string, timeoutMs = REDIS_CONNECT_TIMEOUT_MS): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    // A server that never answers never closes either: do not keep the process alive 2 s waiting for it to.
    disconnectTimeout: 200,
  });
  // The reason connect() rejects with is "Connection is closed"; the error event has the one worth printing.
  let failure: unknown;
  redis.on('error', (error: unknown) => {
    failure ??= error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      // connectTimeout bounds the TCP connect; this also bounds a server that accepts and never answers.
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    // A connection that failed has ended already; disconnecting it again would wait for a close that is past.
    if (redis.status !== 'end') redis.disconnect();
    throw new RedisUnreachable(url, reasonOf(failure ?? error), { cause: failure ?? error });
  } finally {
    clearTimeout(timer);
  }
  return redis;
}

/** Whether Redis answers, before a worker takes its long-lived connections (which wait for Redis forever). */
export async function checkRedis(url: string, timeoutMs = REDIS_CONNECT_TIMEOUT_MS): Promise<void> {
  const redis = await openRedis(url, timeoutMs);
  await redis.quit().catch(() => redis.disconnect());
}
