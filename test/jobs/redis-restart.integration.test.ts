import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestSync } from '../../jobs/queues.ts';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { SeedGenerator } from '../../sandboxes/salesforce/index.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';
import { testPrefix, until } from './redis-prefix.ts';
import { memoryLogger } from './worker-kit.ts';

const LEADS = 1200;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A Redis of this test's own on loopback, so restarting it disturbs no one. It persists every write (AOF, fsync
 * always) as a production Redis behind BullMQ should: a killed and restarted Redis still has the queues.
 */
function startRedis(port: number, dir: string): ChildProcess {
  return spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      dir,
      '--protected-mode',
      'no',
    ],
    { stdio: 'ignore' },
  );
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {}); // refused while Redis restarts: the answer is false, not an error
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

describe('Redis restarted in the middle of a round', () => {
  let h: SyncHarness;
  let redis: ChildProcess | undefined;
  let worker: RunningWorker | undefined;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crm-bridge-redis-'));
    h = await startHarness(sqliteDatabase());
    h.sf.seed('Lead', new SeedGenerator(13).leads(LEADS));
  });
  afterEach(async () => {
    await worker?.stop();
    redis?.kill('SIGKILL');
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('does not stop the round, and the worker reconnects and runs the next one', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    redis = startRedis(port, dir);
    await until(() => answers(url), 10_000, 'the test Redis');
    const { logger } = memoryLogger();
    const ctx = await h.context();
    worker = await startWorker({
      runtime: { ctx, close: async () => {} },
      redisUrl: url,
      prefix: testPrefix(),
      logger,
      lockTtlMs: 2000,
      jobLockMs: 2000,
    });
    const [a, b] = ctx.config.sync.pair as [string, string];
    const round = { pair: `${a}-${b}`, connections: [a, b] as [string, string], trigger: 'manual' as const };
    await requestSync(worker.queue, round);

    const deadline = Date.now() + 60_000;
    while (h.hs.count('contacts') === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    const gone = new Promise((resolve) => redis?.once('exit', resolve));
    redis.kill('SIGKILL');
    await gone;
    expect(h.hs.count('contacts')).toBeLessThan(LEADS);
    redis = startRedis(port, dir);
    await until(() => answers(url), 10_000, 'the restarted Redis');

    // The round's job and its push batches are still queued: the worker reconnects and the round completes.
    await until(
      async () => (await h.store.listRuns(5)).some((r) => r.status === 'succeeded'),
      60_000,
      'the round',
    );
    expect(h.hs.count('contacts')).toBe(LEADS);

    // The worker reconnected: a round asked for now is taken and runs.
    h.hs.touch('contacts', [h.hs.store.all('contacts')[0]?.id as string], {
      fields: { jobtitle: 'After the restart' },
    });
    await requestSync(worker.queue, round);
    await until(
      async () => (await h.store.listRuns(5)).filter((r) => r.status === 'succeeded').length >= 2,
      30_000,
      'a round after the restart',
    );
    const emails = h.hs.store.all('contacts').map((c) => c.properties.email);
    expect(new Set(emails).size).toBe(LEADS);
  }, 120_000);
});
