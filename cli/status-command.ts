import { openChildQueues, openSyncQueue } from '../jobs/queues.ts';
import { openRedis } from '../jobs/redis.ts';
import { readStatus } from '../jobs/status.ts';
import { readEnv } from '../src/env.ts';
import { openStore } from '../src/store/index.ts';
import type { Output } from './output.ts';
import { formatStatus } from './status-report.ts';

export interface StatusOptions {
  readonly json?: boolean;
  readonly runs?: string;
}

/** Prints the queues, schedules, dead letters, last runs and quarantine size (from Redis and the store). */
export async function statusCommand(options: StatusOptions, output: Output): Promise<number> {
  const runs = options.runs === undefined ? 10 : Number(options.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    output.err(`--runs expects a positive integer; got "${options.runs}"`);
    return 2;
  }
  const env = readEnv();
  const store = await openStore(env.DATABASE_URL);
  try {
    const redis = await openRedis(env.REDIS_URL);
    const queue = openSyncQueue(redis, env.CRM_BRIDGE_QUEUE_PREFIX);
    const children = openChildQueues(redis, env.CRM_BRIDGE_QUEUE_PREFIX);
    try {
      const status = await readStatus(queue, store, {
        runs,
        redis,
        prefix: env.CRM_BRIDGE_QUEUE_PREFIX,
        children,
      });
      output.out(options.json ? JSON.stringify(status, null, 2) : formatStatus(status));
      return 0;
    } finally {
      await queue.close();
      await Promise.all([...children.values()].map((q) => q.close()));
      redis.disconnect();
    }
  } finally {
    await store.close();
  }
}
