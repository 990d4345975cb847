import { Cluster, type ClusterNode, type ClusterOptions, Redis } from 'ioredis';
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
 * The nodes of a Redis Cluster named by a REDIS_URL with `?cluster=true`: the URL's host, then those listed in
 * `nodes` (`redis://10.0.0.1:7000?cluster=true&nodes=10.0.0.2:7000,10.0.0.3:7000`). One node is enough to find
 * the others; more let a worker start while one is down. `undefined` for a plain Redis URL.
 */
export function clusterNodes(url: string): { host: string; port: number }[] | undefined {
  const parsed = new URL(url);
  const flag = parsed.searchParams.get('cluster');
  if (flag === null || flag === 'false' || flag === '0') return undefined;
  const node = (text: string) => {
    const at = text.lastIndexOf(':');
    const port = at < 0 ? 6379 : Number(text.slice(at + 1));
    if (!Number.isInteger(port) || port <= 0 || port > 65_535)
      throw new Error(`REDIS_URL: the cluster node "${text}" needs host:port`);
    return { host: at < 0 ? text : text.slice(0, at), port };
  };
  const extra = (parsed.searchParams.get('nodes') ?? '').split(',').filter((text) => text.trim() !== '');
  return [
    { host: parsed.hostname, port: Number(parsed.port || 6379) },
    ...extra.map((text) => node(text.trim())),
  ];
}

/** The connection settings crm-bridge tunes, for a Redis or for each node of a Cluster. */
interface Tuning {
  readonly lazyConnect?: boolean;
  readonly connectTimeout?: number;
  readonly maxRetriesPerRequest?: number | null;
  readonly enableOfflineQueue?: boolean;
  readonly retryStrategy?: () => null;
  readonly disconnectTimeout?: number;
}

/** The credentials and TLS a Cluster's node connections take from the URL (a plain Redis reads them itself). */
function nodeOptions(url: string): { username?: string; password?: string; tls?: object } {
  const parsed = new URL(url);
  return {
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * A connection to the Redis of REDIS_URL, or to the Redis Cluster it names. Typed as a `Redis`: BullMQ takes a
 * Cluster as it takes a Redis, and crm-bridge's own keys (the pair locks, the shared API windows, the usage
 * board) are used only through commands a Cluster has too, each command on keys of the prefix's one hash tag.
 */
function connect(url: string, plain: Tuning, cluster: Omit<ClusterOptions, 'redisOptions'>): Redis {
  const nodes: ClusterNode[] | undefined = clusterNodes(url);
  if (nodes === undefined) return new Redis(url, plain);
  const { lazyConnect, enableOfflineQueue, ...perNode } = plain;
  return new Cluster(nodes, {
    ...cluster,
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    redisOptions: { ...perNode, ...nodeOptions(url) },
  }) as unknown as Redis;
}

/**
 * A Redis connection for BullMQ. `maxRetriesPerRequest: null` is what BullMQ requires of a worker's connection:
 * its blocking commands must wait through a Redis restart instead of failing after a few retries. With `lazy`, it
 * connects on its first command, so that one made before `checkRedis` can be let go of at once if Redis is away.
 */
export function connectRedis(url: string, { lazy = false }: { readonly lazy?: boolean } = {}): Redis {
  // The Cluster's counterpart of waiting through a restart: while a master is down its slots answer CLUSTERDOWN
  // (or MOVED, while the others learn it is back); a command asks again every 300 ms, for about a minute.
  return connect(
    url,
    { maxRetriesPerRequest: null, lazyConnect: lazy },
    { retryDelayOnClusterDown: 300, retryDelayOnTryAgain: 300, retryDelayOnMoved: 300, maxRedirections: 200 },
  );
}

/**
 * A connection for a command that runs once (status, replay), connected when it resolves, or a `RedisUnreachable`
 * within `timeoutMs`. It fails fast afterwards too: no reconnecting, and commands sent while it is down fail
 * instead of waiting, so a command never hangs on a Redis that went away.
 */
export async function openRedis(url: string, timeoutMs = REDIS_CONNECT_TIMEOUT_MS): Promise<Redis> {
  const redis = connect(
    url,
    {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      // A server that never answers never closes either: do not keep the process alive 2 s waiting for it to.
      disconnectTimeout: 200,
    },
    { clusterRetryStrategy: () => null },
  );
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
