/**
 * A sync worker in a process of its own, for the fault suite that kills them: set up as `crm-bridge worker` sets
 * one up (config and policy from CRM_BRIDGE_CONFIG, the shared API budget in Redis, secrets scrubbed from every
 * log line, JSON logs on stdout), but with 10-second locks so that another worker takes a killed one's round over
 * within seconds rather than the production 30 (shorter would let a busy two-core machine's missed renewals pass
 * for deaths).
 * Environment: CRM_BRIDGE_CONFIG, REDIS_URL, CRM_BRIDGE_QUEUE_PREFIX, DATABASE_URL and the connections' variables.
 */

import { openRuntime } from '../../cli/runtime.ts';
import { createLogger } from '../../jobs/logger.ts';
import { connectRedis } from '../../jobs/redis.ts';
import { scrubber, secretValues } from '../../jobs/secrets.ts';
import { RedisCallGate } from '../../jobs/shared-window.ts';
import { startWorker } from '../../jobs/worker.ts';
import { processEnv, readEnv } from '../../src/env.ts';

const env = readEnv();
const gateRedis = connectRedis(env.REDIS_URL, { lazy: true });
gateRedis.on('error', () => {});
const runtime = await openRuntime(undefined, {
  gate: new RedisCallGate(gateRedis, env.CRM_BRIDGE_QUEUE_PREFIX),
});
const secrets = secretValues(runtime.ctx.config, processEnv());
const logger = createLogger({
  level: 'debug',
  scrub: scrubber(secrets),
  destination: { write: (line: string) => process.stdout.write(line) },
});
const worker = await startWorker({
  runtime,
  redisUrl: env.REDIS_URL,
  prefix: env.CRM_BRIDGE_QUEUE_PREFIX,
  logger,
  secrets,
  pushConcurrency: 2,
  lockTtlMs: 10_000,
  jobLockMs: 10_000,
});
process.once('SIGTERM', () => {
  void worker.stop().then(() => {
    gateRedis.disconnect();
    process.exit(0);
  });
});
