import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from '../jobs/redis-prefix.ts';
import { memoryLogger, sleep } from '../jobs/worker-kit.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

describe('crm-bridge replay of a record the target refused', () => {
  const prefix = testPrefix();
  const saved = { ...process.env };
  let h: SyncHarness;
  let ctx: SyncContext;
  let worker: RunningWorker | undefined;
  const companies = () =>
    h.hs.store
      .all('companies')
      .map((c) => c.properties.name)
      .sort();

  /** HubSpot's company Industry dropdown without (or, once the admin added it, with) Retail. */
  function retailOption(present: boolean) {
    const defs = h.hs.store.defs.get('companies');
    const def = defs?.get('industry');
    if (!defs || !def) throw new Error('no industry property');
    const options = (def.options ?? []).filter((o) => o.value !== 'RETAIL');
    defs.set('industry', {
      ...def,
      options: present ? [...options, { value: 'RETAIL', label: 'Retail' }] : options,
    });
  }

  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
    Object.assign(process.env, {
      DATABASE_URL: h.databaseUrl,
      REDIS_URL,
      CRM_BRIDGE_QUEUE_PREFIX: prefix,
      CRM_BRIDGE_CONFIG: 'config/example.yaml',
    });
    const base = await h.context({ policy: false });
    // A short overlap, so that a record the first round set aside is not simply read again by the next.
    ctx = { ...base, config: { ...base.config, sync: { ...base.config.sync, overlap: '1s' } } };
    h.sf.seed('Account', [{ Name: 'Analytical Engines', Website: 'https://analytical.example.com' }]);
    await runSync(ctx);
    h.sf.seed('Account', [{ Name: 'Shop Co', Website: 'https://shop.example.com', Industry: 'Retail' }]);
    retailOption(false);
    await runSync(ctx);
  });
  afterAll(async () => {
    await worker?.stop();
    process.env = saved;
    await h.close();
    await dropPrefix(prefix);
  });

  it('quarantines the record HubSpot refused, and fixing the cause alone does not bring it over', async () => {
    expect(companies()).toEqual(['Analytical Engines']);
    const [entry, ...others] = await h.store.listQuarantine();
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ id: 1, entity: 'account', connection: 'sf', object: 'Account' });
    expect(entry?.reason).toMatch(/^creating hs companies: invalid/);

    // Later changes move the Account cursor on, past the overlap (which re-reads, and so retries, recent records).
    await sleep(1_100);
    h.sf.seed('Account', [{ Name: 'Later Ltd', Website: 'https://later.example.com' }]);
    await runSync(ctx);
    retailOption(true); // the admin adds Retail to HubSpot's Industry options
    await runSync(ctx);
    expect(companies()).toEqual(['Analytical Engines', 'Later Ltd']);
  });

  it('replays it: the entry is resolved, a round is queued, and the company lands in HubSpot', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'replay', '--record', '1'], output)).toBe(0);
    expect(output.stdout).toMatch(
      /^quarantined records replayed: 1 \(#1\)\nread again from: sf\/Account \d{4}-[\d-]+T[\d:.]+Z\nsync round queued \(job \d+\): the records land there\n$/,
    );
    // Back to the start of the last good round before the refusal, not to the beginning of time.
    expect(output.stdout).not.toContain('1970');
    expect(await h.store.countQuarantine()).toBe(0);

    const before = h.sf.calls();
    worker = await startWorker({
      runtime: { ctx, close: async () => {} },
      redisUrl: REDIS_URL,
      prefix,
      logger: memoryLogger().logger,
    });
    const queued = /job (\d+)/.exec(output.stdout)?.[1] ?? '';
    await until(
      async () => (await worker?.queue.getJobState(queued)) === 'completed',
      10_000,
      'the replay round',
    );
    expect(companies()).toEqual(['Analytical Engines', 'Later Ltd', 'Shop Co']);
    expect(
      h.hs.store.all('companies').find((c) => c.properties.name === 'Shop Co')?.properties.industry,
    ).toBe('RETAIL');
    // Read again from the round before the refusal, not from the start: a single page of Accounts.
    expect(h.sf.calls() - before).toBeLessThanOrEqual(12);
  });

  it('says so when an entry is not open', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'replay', '--record', '1', '--json'], output)).toBe(1);
    expect(JSON.parse(output.stdout).quarantined).toMatchObject({ replayed: [], missing: [1] });
  });
});
