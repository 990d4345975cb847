import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSyncQueue, type SyncQueue } from '../../jobs/queues.ts';
import { reconcileSchedules, repeatOf } from '../../jobs/schedules.ts';
import type { BridgeConfig } from '../../src/config/schema.ts';
import { dropPrefix, REDIS_URL, testPrefix } from './redis-prefix.ts';

const sync = (pair: [string, string], schedule: BridgeConfig['sync']['schedule']) => ({
  sync: { pair, schedule, deletes: 'unlink', overlap: '2m' } as BridgeConfig['sync'],
});

describe('sync schedules from the config', () => {
  let prefix: string;
  let redis: Redis;
  let queue: SyncQueue;
  beforeEach(() => {
    prefix = testPrefix();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = openSyncQueue(redis, prefix);
  });
  afterEach(async () => {
    await queue.close();
    redis.disconnect();
    await dropPrefix(prefix);
  });

  it('reads every and cron schedules', () => {
    expect(repeatOf({ every: '15m' })).toEqual({ every: 900_000 });
    expect(repeatOf({ cron: '0 */2 * * *', tz: 'Europe/Paris' })).toEqual({
      pattern: '0 */2 * * *',
      tz: 'Europe/Paris',
    });
  });

  it('registers one scheduler per pair, updates it when the schedule changes, and removes pairs gone from the config', async () => {
    expect(await reconcileSchedules(queue, sync(['sf', 'hs'], { every: '15m' }))).toEqual({
      upserted: 'sync-sf-hs',
      removed: [],
    });
    // Registering again (a second worker starting) changes nothing.
    await reconcileSchedules(queue, sync(['sf', 'hs'], { every: '15m' }));
    let schedulers = await queue.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => [s.key, s.every, s.template?.data])).toEqual([
      ['sync-sf-hs', 900_000, { pair: 'sf-hs', connections: ['sf', 'hs'], trigger: 'schedule' }],
    ]);

    await reconcileSchedules(queue, sync(['sf', 'hs'], { cron: '30 6 * * 1-5', tz: 'UTC' }));
    schedulers = await queue.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz, s.every])).toEqual([
      ['sync-sf-hs', '30 6 * * 1-5', 'UTC', undefined],
    ]);
    const next = new Date(schedulers[0]?.next ?? 0);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([6, 30]);

    expect(await reconcileSchedules(queue, sync(['sf2', 'hs'], { every: '1h' }))).toEqual({
      upserted: 'sync-sf2-hs',
      removed: ['sync-sf-hs'],
    });
    schedulers = await queue.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key)).toEqual(['sync-sf2-hs']);
    // The removed pair's next round went with its scheduler.
    const delayed = await queue.getDelayed();
    expect(delayed.map((j) => (j.data as { pair: string }).pair)).not.toContain('sf-hs');
  });
});
