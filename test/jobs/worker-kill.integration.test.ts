import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { SeedGenerator } from '../../sandboxes/salesforce/index.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from './redis-prefix.ts';
import { memoryLogger } from './worker-kit.ts';

const LEADS = 1200;

describe('a worker killed with SIGKILL in the middle of a round', () => {
  let h: SyncHarness;
  let child: ChildProcess | undefined;
  let survivor: RunningWorker | undefined;
  const prefix = testPrefix();
  beforeEach(async () => {
    h = await startHarness(sqliteDatabase());
    h.sf.seed('Lead', new SeedGenerator(9).leads(LEADS));
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await survivor?.stop();
    await h.close();
    await dropPrefix(prefix);
  });

  it('is followed by another worker that takes the round over: every person once in each CRM, nothing lost', async () => {
    child = spawn(process.execPath, ['test/jobs/worker-process.ts'], {
      env: {
        ...process.env,
        ...h.env,
        DATABASE_URL: h.databaseUrl,
        REDIS_URL,
        CRM_BRIDGE_QUEUE_PREFIX: prefix,
      },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child?.once('exit', (_c, signal) => resolve(signal)),
    );
    // Poll tightly: SIGKILL as soon as HubSpot holds some of the round's creates, not all.
    const deadline = Date.now() + 60_000;
    while (h.hs.count('contacts') === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const written = h.hs.count('contacts');
    expect(written).toBeLessThan(LEADS);

    // Another worker on the same queue and state: it finds the dead worker's round stalled and runs it again.
    survivor = await startWorker({
      runtime: { ctx: await h.context(), close: async () => {} },
      redisUrl: REDIS_URL,
      prefix,
      logger: memoryLogger().logger,
      lockTtlMs: 2000,
      jobLockMs: 2000,
    });
    await until(
      async () => (await h.store.listRuns(10)).some((r) => r.status === 'succeeded'),
      60_000,
      'a round to succeed after the kill',
    );
    const emails = h.hs.store.all('contacts').map((c) => c.properties.email);
    expect(emails).toHaveLength(LEADS);
    expect(new Set(emails).size).toBe(LEADS);
    expect(h.sf.count('Lead')).toBe(LEADS);
    const links = await h.store.findLinks(
      h.hs.store.all('contacts').map((c) => ({ connection: 'hs', object: 'contacts', externalId: c.id })),
    );
    expect(links.size).toBe(LEADS);
  }, 120_000);
});
