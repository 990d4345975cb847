import { Redis } from 'ioredis';
import { PairLocks } from '../jobs/pair-lock.ts';
import { openChildQueues, openSyncQueue } from '../jobs/queues.ts';
import { scrubber, secretValues } from '../jobs/secrets.ts';
import type { ConsoleTokens } from './auth.ts';
import type { ConsoleDeps } from './deps.ts';
import type { LiveProject } from './live-project.ts';
import { recordLinks } from './record-links.ts';

/** The shortest token the console accepts: a guessable one would open the CRMs' data to anyone on the network. */
export const MIN_TOKEN_LENGTH = 16;

/** Why these tokens cannot guard a console, or undefined when they can. */
export function tokenProblem(tokens: {
  admin?: string | undefined;
  readonly?: string | undefined;
}): string | undefined {
  if (tokens.admin === undefined)
    return 'the console needs CRM_BRIDGE_CONSOLE_TOKEN: the token an admin signs in with (at least 16 characters)';
  if (tokens.admin.length < MIN_TOKEN_LENGTH)
    return `CRM_BRIDGE_CONSOLE_TOKEN is too short: at least ${MIN_TOKEN_LENGTH} characters`;
  if (tokens.readonly !== undefined && tokens.readonly.length < MIN_TOKEN_LENGTH)
    return `CRM_BRIDGE_CONSOLE_READONLY_TOKEN is too short: at least ${MIN_TOKEN_LENGTH} characters`;
  if (tokens.readonly !== undefined && tokens.readonly === tokens.admin)
    return 'CRM_BRIDGE_CONSOLE_READONLY_TOKEN must differ from CRM_BRIDGE_CONSOLE_TOKEN';
  return undefined;
}

/**
 * The console's Redis connection: it reconnects when Redis comes back (a console runs for days), and a command sent
 * while Redis is away fails after one reconnect attempt, so a page says so instead of hanging.
 */
export function connectConsoleRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  // Each page that needed Redis says what failed; the connection's own retries need no log line here.
  redis.on('error', () => {});
  return redis;
}

/** A console's queues: to close with the console. */
export interface AssembledConsole {
  readonly deps: ConsoleDeps;
  close(): Promise<void>;
}

/**
 * The console's dependencies over a project, a Redis connection and the environment: the same queues, locks and
 * store the CLI and the worker use. The Redis connection stays the caller's.
 */
export function assembleConsole(options: {
  readonly project: LiveProject;
  readonly redis: Redis;
  readonly prefix: string;
  readonly tokens: ConsoleTokens;
  readonly env: NodeJS.ProcessEnv;
  readonly hubspotPortal?: string | undefined;
  readonly replayWaitMs?: number;
  readonly pageTimeoutMs?: number;
}): AssembledConsole {
  const { project, redis, prefix, env } = options;
  const queue = openSyncQueue(redis, prefix);
  const children = openChildQueues(redis, prefix);
  // A Redis that went away is reported by the page that needed it (see the page timeout), not once per retry.
  for (const q of [queue, ...children.values()]) q.on('error', () => {});
  const config = project.ctx.config;
  return {
    deps: {
      project,
      redis,
      prefix,
      queue,
      children,
      locks: new PairLocks(redis, prefix),
      tokens: options.tokens,
      links: recordLinks(config, env, { hubspotPortal: options.hubspotPortal }),
      scrub: scrubber(secretValues(config, env)),
      ...(options.replayWaitMs === undefined ? {} : { replayWaitMs: options.replayWaitMs }),
      ...(options.pageTimeoutMs === undefined ? {} : { pageTimeoutMs: options.pageTimeoutMs }),
    },
    async close() {
      await queue.close();
      await Promise.all([...children.values()].map((q) => q.close()));
    },
  };
}
