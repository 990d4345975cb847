import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from './redis-prefix.ts';
import { memoryLogger } from './worker-kit.ts';

const emails = (records: readonly { email?: unknown }[]) =>
  records.map((r) => String(r.email ?? '').toLowerCase()).filter((e) => e !== '');
const duplicates = (list: readonly string[]) => list.filter((e, i) => list.indexOf(e) !== i);

describe('three workers sharing real rounds against both sandboxes', () => {
  let h: SyncHarness;
  const prefix = testPrefix();
  const workers: RunningWorker[] = [];
  const rounds: { worker: number; start: number; end: number }[] = [];

  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
    h.sf.seedOrg({ accounts: 5, contacts: 10, leads: 30 });
    h.hs.generate({ companies: 5, contacts: 30 });
    for (let i = 0; i < 3; i++) {
      const base = await h.context();
      const ctx = {
        ...base,
        config: { ...base.config, sync: { ...base.config.sync, schedule: { every: '1s' } } },
      };
      workers.push(
        await startWorker({
          runtime: { ctx, close: async () => {} },
          redisUrl: REDIS_URL,
          prefix,
          logger: memoryLogger().logger,
          concurrency: 2,
          run: async (c) => {
            const start = Date.now();
            try {
              return await runSync(c);
            } finally {
              rounds.push({ worker: i, start, end: Date.now() });
            }
          },
        }),
      );
    }
    await until(() => rounds.length >= 2, 15_000, 'two rounds');
    // People change in HubSpot while the workers run.
    const someContacts = h.hs.store.all('contacts').slice(0, 5);
    h.hs.touch(
      'contacts',
      someContacts.map((c) => c.id),
      { fields: { jobtitle: 'Head of Data' } },
    );
    const after = rounds.length;
    await until(() => rounds.length >= after + 2, 15_000, 'two more rounds');
    await Promise.all(workers.map((w) => w.stop()));
  }, 40_000);
  afterAll(async () => {
    await h.close();
    await dropPrefix(prefix);
  });

  it('never runs two rounds of the pair at once', () => {
    const sorted = [...rounds].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]?.start).toBeGreaterThanOrEqual(sorted[i - 1]?.end ?? Number.POSITIVE_INFINITY);
  });

  it('ends with every person once in each CRM, and the change carried over', () => {
    const hs = emails(h.hs.store.all('contacts').map((c) => c.properties));
    const sf = [
      ...emails([...h.sf.store.all('Lead')].filter((l) => !l.IsConverted).map((r) => ({ email: r.Email }))),
      ...emails([...h.sf.store.all('Contact')].map((r) => ({ email: r.Email }))),
    ];
    expect(duplicates(hs)).toEqual([]);
    expect(duplicates(sf)).toEqual([]);
    expect([...new Set(sf)].sort()).toEqual([...new Set(hs)].sort());
    expect(hs.length).toBeGreaterThanOrEqual(30 + 30);
    const titled = [...h.sf.store.all('Lead'), ...h.sf.store.all('Contact')].filter(
      (r) => r.Title === 'Head of Data',
    );
    expect(titled.length).toBe(5);
  });
});
