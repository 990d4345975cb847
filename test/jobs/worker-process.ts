/**
 * A sync worker in a process of its own, for the tests that kill one: it starts with short locks (so that another
 * worker can take over its round within seconds) and asks for one round at once.
 * Environment: REDIS_URL, CRM_BRIDGE_QUEUE_PREFIX, DATABASE_URL and the sandbox connections' variables.
 */

import { openRuntime } from '../../cli/runtime.ts';
import { createLogger } from '../../jobs/logger.ts';
import { pairId } from '../../jobs/names.ts';
import { requestSync } from '../../jobs/queues.ts';
import { startWorker } from '../../jobs/worker.ts';
import { readEnv } from '../../src/env.ts';

const env = readEnv();
const runtime = await openRuntime('config/example.yaml');
const worker = await startWorker({
  runtime,
  redisUrl: env.REDIS_URL,
  prefix: env.CRM_BRIDGE_QUEUE_PREFIX,
  logger: createLogger({ level: 'warn' }),
  lockTtlMs: 2000,
  jobLockMs: 2000,
});
const [a, b] = runtime.ctx.config.sync.pair;
await requestSync(worker.queue, { pair: pairId(runtime.ctx.config), connections: [a, b], trigger: 'manual' });
