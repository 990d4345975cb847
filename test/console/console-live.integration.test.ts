import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_QUEUE } from '../../jobs/names.ts';
import { openSyncQueue, requestSync, type SyncQueue } from '../../jobs/queues.ts';
import { REDIS_URL, until } from '../jobs/redis-prefix.ts';
import { ADMIN_TOKEN, type ConsoleKit, signIn, startConsoleKit } from './console-kit.ts';

describe('the health page while a round runs', () => {
  let kit: ConsoleKit;
  let redis: Redis;
  let queue: SyncQueue;
  let cookie: string;
  const live = async () => (await fetch(`${kit.url}/health/live`, { headers: { cookie } })).text();

  beforeAll(async () => {
    kit = await startConsoleKit({ people: 10 });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = openSyncQueue(redis, kit.prefix);
    ({ cookie } = await signIn(kit.url, ADMIN_TOKEN));
  }, 60_000);
  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    await kit?.close();
  });

  it('follows the round’s entity, step and API calls, refreshing every second, and says when it is over', async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const workerRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    // A round that reports where it is, as the sync job does, and waits until the test lets it go.
    const worker = new Worker(
      SYNC_QUEUE,
      async (job) => {
        await job.updateData({
          ...job.data,
          round: {
            runId: randomUUID(),
            index: 2,
            step: 'plan',
            startedAt: Date.parse('2026-12-05T01:00:00Z'),
            calls: { sf: 7, hs: 3 },
          },
        });
        await released;
        return { skipped: 'test' };
      },
      { connection: workerRedis, prefix: kit.prefix },
    );
    try {
      const id = await requestSync(queue, { pair: 'sf-hs', connections: ['sf', 'hs'], trigger: 'manual' });
      await until(async () => (await live()).includes('running (job'), 10_000, 'the round to show');
      const page = await live();
      expect(page).toContain('hx-trigger="every 1s"');
      expect(page).toContain(
        `Round of <strong>sf-hs</strong> running (job ${id}): person (entity 3 of 3), step <strong>plan</strong>, since <time datetime="2026-12-05T01:00:00.000Z">2026-12-05 01:00:00 UTC</time>; API calls so far: sf 7, hs 3.`,
      );
      release();
      await until(async () => (await live()).includes('No round is running.'), 10_000, 'the round to end');
      expect(await live()).toContain('hx-trigger="every 3s"');
    } finally {
      release();
      await worker.close();
      workerRedis.disconnect();
    }
  });
});
