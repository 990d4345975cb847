import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from './redis-prefix.ts';
import { emptyReport, memoryLogger, quietRuntime, sleep } from './worker-kit.ts';

const request = { pair: 'sf-hs', connections: ['sf', 'hs'] as [string, string], trigger: 'manual' as const };

describe('the worker process', () => {
  let prefix: string;
  let worker: RunningWorker | undefined;
  beforeEach(() => {
    prefix = testPrefix();
  });
  afterEach(async () => {
    await worker?.stop();
    await dropPrefix(prefix);
  });

  /** A worker whose rounds take `ms` and report when they start and end. */
  async function slowWorker(ms: number, shutdownTimeoutMs: number) {
    const events: string[] = [];
    const { logger, lines } = memoryLogger();
    worker = await startWorker({
      runtime: await quietRuntime(),
      redisUrl: REDIS_URL,
      prefix,
      logger,
      shutdownTimeoutMs,
      http: { port: 0, host: '127.0.0.1' },
      run: async () => {
        events.push('round started');
        await sleep(ms);
        events.push('round finished');
        return emptyReport('slow');
      },
    });
    return { worker, events, lines };
  }

  it('with its port taken, fails to start before taking a single job, and leaves the queued round waiting', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const look = new Queue('sync', { connection: { host: '127.0.0.1' }, prefix });
    await look.add('sync', request, { jobId: 'queued-before' });
    const events: string[] = [];
    // A worker that fails to start leaves the runtime to its caller, which closes it.
    const runtime = await quietRuntime();
    try {
      await expect(
        startWorker({
          runtime,
          redisUrl: REDIS_URL,
          prefix,
          logger: memoryLogger().logger,
          http: { port, host: '127.0.0.1' },
          run: async () => {
            events.push('round started');
            return emptyReport('taken');
          },
        }),
      ).rejects.toThrow(/EADDRINUSE/);
      await sleep(300);
      expect(events).toEqual([]);
      expect(await look.getJobState('queued-before')).toBe('waiting');
    } finally {
      await look.close();
      await runtime.close();
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('on stop, takes no new job, lets the round in flight finish, then exits', async () => {
    const { worker, events } = await slowWorker(600, 5_000);
    await worker.queue.add('sync', request, { jobId: 'in-flight' });
    await until(() => events.includes('round started'), 5000, 'the round to start');
    await worker.queue.add('sync', request, { jobId: 'queued-later' });
    const health = await fetch(`http://127.0.0.1:${worker.port}/healthz`);
    expect(health.status).toBe(200);

    const stopping = worker.stop();
    await sleep(50);
    const during = await fetch(`http://127.0.0.1:${worker.port}/healthz`);
    expect([during.status, await during.text()]).toEqual([503, 'unhealthy: the worker is not running\n']);
    expect(await stopping).toBe('graceful');
    expect(events).toEqual(['round started', 'round finished']);
    // The job added during shutdown waits for the next worker.
    const look = new Queue('sync', { connection: { host: '127.0.0.1' }, prefix });
    expect(await look.getJobState('in-flight')).toBe('completed');
    expect(await look.getJobState('queued-later')).toBe('waiting');
    await look.close();
    await expect(fetch(`http://127.0.0.1:${worker.port}/healthz`)).rejects.toThrow();
  });

  it('hands a round that outlives the shutdown timeout back to the queue', async () => {
    const { worker, events, lines } = await slowWorker(1_500, 200);
    await worker.queue.add('sync', request, { jobId: 'long' });
    await until(() => events.includes('round started'), 5000, 'the round to start');
    const started = Date.now();
    expect(await worker.stop()).toBe('forced');
    expect(Date.now() - started).toBeLessThan(1_000);
    const look = new Queue('sync', { connection: { host: '127.0.0.1' }, prefix });
    expect(await look.getJobState('long')).toBe('waiting');
    await look.close();
    expect(lines.some((l) => l.includes('shutdown timeout: in-flight jobs handed back'))).toBe(true);
    await sleep(1_500); // let the abandoned round end before the prefix is dropped
  });

  it('serves Prometheus metrics: jobs, durations, last round, quarantine size', async () => {
    const { worker } = await slowWorker(10, 5_000);
    const job = await worker.queue.add('sync', request);
    await until(async () => (await job.getState()) === 'completed', 5000, 'the round');
    const text = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(text).toContain('crm_bridge_jobs_completed_total{queue="sync"} 1');
    expect(text).toContain('crm_bridge_job_duration_seconds_count{queue="sync"} 1');
    expect(text).toContain('crm_bridge_quarantine_size 0');
  });
});
