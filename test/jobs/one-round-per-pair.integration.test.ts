import { afterEach, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from './redis-prefix.ts';
import { emptyReport, memoryLogger, quietRuntime, sleep } from './worker-kit.ts';

describe('one sync round per pair at a time', () => {
  const prefix = testPrefix();
  const workers: RunningWorker[] = [];
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await dropPrefix(prefix);
  });

  it('never overlaps two rounds of a pair, with three workers of concurrency 2 and jobs piling up', async () => {
    const rounds: { worker: number; start: number; end: number }[] = [];
    const { logger, lines } = memoryLogger();
    for (let i = 0; i < 3; i++) {
      const runtime = await quietRuntime({ every: '1s' });
      workers.push(
        await startWorker({
          runtime,
          redisUrl: REDIS_URL,
          prefix,
          logger,
          concurrency: 2,
          busyDelayMs: 100,
          run: async () => {
            const start = Date.now();
            await sleep(150);
            rounds.push({ worker: i, start, end: Date.now() });
            return emptyReport(`run-${rounds.length}`);
          },
        }),
      );
    }
    const queue = workers[0]?.queue;
    if (!queue) throw new Error('no queue');
    // Eight operator requests at once (distinct jobs, no deduplication), on top of the every-second schedule.
    await queue.addBulk(
      Array.from({ length: 8 }, () => ({
        name: 'sync',
        data: { pair: 'sf-hs', connections: ['sf', 'hs'] as [string, string], trigger: 'manual' as const },
      })),
    );
    await until(
      async () => ((await queue.getJobCounts('completed')).completed ?? 0) >= 9,
      15_000,
      '9 completed jobs',
    );

    const sorted = [...rounds].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i]?.start).toBeGreaterThanOrEqual(sorted[i - 1]?.end ?? Infinity);
    }
    expect(rounds.length).toBeGreaterThanOrEqual(8);
    // Jobs of the pair were active in several places at once and the lock held them apart.
    const waited = lines.filter((l) => /round (delayed|skipped)/.test(l)).length;
    expect(waited).toBeGreaterThan(0);
  });
});
