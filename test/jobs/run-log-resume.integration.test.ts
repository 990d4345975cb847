import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from './redis-prefix.ts';
import { memoryLogger } from './worker-kit.ts';

const RUN = '7d1e2f30-4b5c-4d6e-8f90-a1b2c3d4e5f6';

/**
 * A worker keeps a new round in its job before it logs the round as running. A process that died in between left a
 * job whose round was never logged: the worker that resumes it logs it, and logs how it ended.
 */
describe('a round resumed before its start was logged', () => {
  let h: SyncHarness;
  let worker: RunningWorker | undefined;
  const prefix = testPrefix();
  beforeEach(async () => {
    h = await startHarness(sqliteDatabase());
    h.hs.seed(
      'contacts',
      Array.from({ length: 5 }, (_, i) => ({
        email: `resumed${i}@example.com`,
        firstname: 'R',
        lastname: `${i}`,
      })),
    );
  });
  afterEach(async () => {
    await worker?.stop();
    await h.close();
    await dropPrefix(prefix);
  });

  it('is in the run log, ended as it ended, once', async () => {
    const ctx = await h.context();
    worker = await startWorker({
      runtime: { ctx, close: async () => {} },
      redisUrl: REDIS_URL,
      prefix,
      logger: memoryLogger().logger,
    });
    const [a, b] = ctx.config.sync.pair as [string, string];
    await worker.queue.add('sync', {
      pair: `${a}-${b}`,
      connections: [a, b],
      trigger: 'manual',
      round: { runId: RUN, index: 0, step: 'plan', startedAt: Date.now(), calls: {} },
    });
    await until(
      async () => (await h.store.listRuns(5)).some((r) => r.id === RUN && r.status !== 'running'),
      30_000,
      'the resumed round',
    );
    // (The worker's schedule may run rounds of its own beside it.)
    const runs = (await h.store.listRuns(10)).filter((r) => r.id === RUN);
    expect(runs.map((r) => r.status)).toEqual(['succeeded']);
    expect(h.sf.count('Lead')).toBe(5);
  });
});
