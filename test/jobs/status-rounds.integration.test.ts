import { FlowProducer } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatStatus } from '../../cli/status-report.ts';
import { openSyncQueue } from '../../jobs/queues.ts';
import { readStatus } from '../../jobs/status.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';
import { dropPrefix, REDIS_URL, testPrefix } from './redis-prefix.ts';

/** `crm-bridge status` shows a round under way: where it got to, its API calls, its push batches done. */
describe('status of a round under way', () => {
  let prefix: string;
  let redis: Redis;
  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    prefix = testPrefix();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    db = sqliteDatabase();
    store = await openStore(db.url);
  });
  afterEach(async () => {
    redis.disconnect();
    await store.close();
    await db.drop();
    await dropPrefix(prefix);
  });

  it('lists a round waiting for its push batches with its entity, step, calls and batches', async () => {
    const runId = '0f4c1a52-6f1e-4a57-9d55-8c0e3d6a1b2c';
    const flow = new FlowProducer({ connection: redis, prefix });
    await flow.add({
      name: 'sync',
      queueName: 'sync',
      data: {
        pair: 'sf-hs',
        connections: ['sf', 'hs'],
        trigger: 'schedule',
        round: {
          runId,
          index: 2,
          step: 'record',
          startedAt: Date.parse('2026-12-05T03:00:00Z'),
          calls: { sf: 12 },
        },
      },
      children: [0, 1, 2].map((batch) => ({
        name: 'person',
        queueName: 'push-hubspot',
        data: { pair: 'sf-hs', runId, entity: 'person', batch },
      })),
    });
    await flow.close();
    const queue = openSyncQueue(redis, prefix);
    try {
      const status = await readStatus(queue, store);
      expect(status.rounds).toEqual([
        expect.objectContaining({
          pair: 'sf-hs',
          runId,
          entity: 2,
          step: 'record',
          startedAt: '2026-12-05T03:00:00.000Z',
          calls: { sf: 12 },
          batches: { done: 0, total: 3 },
        }),
      ]);
      expect(formatStatus(status)).toContain(
        `round ${runId} of sf-hs: entity 3 of the round order, step record, since 2026-12-05T03:00:00.000Z, push batches 0 of 3 done, its own API calls sf 12`,
      );
    } finally {
      await queue.close();
    }
  });

  it('says when no round is under way', async () => {
    const queue = openSyncQueue(redis, prefix);
    try {
      const status = await readStatus(queue, store);
      expect(status.rounds).toEqual([]);
      expect(formatStatus(status)).toContain('rounds under way: none');
    } finally {
      await queue.close();
    }
  });
});
