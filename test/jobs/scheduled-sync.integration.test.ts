import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncJobResult } from '../../jobs/payloads.ts';
import { UsageBoard } from '../../jobs/usage-board.ts';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from './redis-prefix.ts';
import { memoryLogger } from './worker-kit.ts';

/** Every record's modification stamp in both sandboxes: equal stamps mean nothing was written. */
function stamps(h: SyncHarness): string[] {
  const sf = ['Lead', 'Contact', 'Account', 'Opportunity'].flatMap((o) =>
    [...h.sf.store.all(o)].map((r) => `${o}:${r.Id}:${String(r.SystemModstamp)}`),
  );
  const hs = ['contacts', 'companies', 'deals'].flatMap((t) =>
    h.hs.store.all(t).map((r) => `${t}:${r.id}:${r.updatedAt}`),
  );
  return [...sf, ...hs].sort();
}

describe('the worker running a schedule of every 2 s against both sandboxes', () => {
  let h: SyncHarness;
  let worker: RunningWorker;
  const prefix = testPrefix();
  /** API calls of each system at the end of each round. */
  const rounds: {
    report: Extract<SyncJobResult, { runId: string }>;
    sf: number;
    hs: number;
    stamps: string[];
  }[] = [];
  const { logger, lines } = memoryLogger();

  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
    h.sf.seed('Lead', [
      { LastName: 'Lovelace', Email: 'ada@x.example', Company: 'X Ltd' },
      { LastName: 'Hopper', Email: 'grace@navy.example', Company: 'Navy' },
    ]);
    h.hs.seed('companies', [{ name: 'Hooli', domain: 'hooli.example.com' }]);
    h.hs.seed('contacts', [{ email: 'carol@hooli.example.com', firstname: 'Carol', lastname: 'Shaw' }]);
    const base = await h.context();
    const ctx = {
      ...base,
      config: { ...base.config, sync: { ...base.config.sync, schedule: { every: '2s' } } },
    };
    worker = await startWorker({
      runtime: { ctx, close: async () => {} },
      redisUrl: REDIS_URL,
      prefix,
      logger,
      http: { port: 0, host: '127.0.0.1' },
    });
    // Rounds run as the service runs them: steps, with push batches as jobs (skipped ticks left out).
    worker.worker.on('completed', (_job, report) => {
      if ('runId' in report) rounds.push({ report, sf: h.sf.calls(), hs: h.hs.calls(), stamps: stamps(h) });
    });
    await until(() => rounds.length >= 3, 15_000, 'three scheduled rounds');
  }, 20_000);
  afterAll(async () => {
    await worker.stop();
    await h.close();
    await dropPrefix(prefix);
  });

  it('syncs on the first round, then writes nothing while nothing changes', () => {
    const [first, second, third] = rounds;
    const created = Object.values(first?.report.entities ?? {}).reduce((n, e) => n + (e.created ?? 0), 0);
    expect(created).toBe(4); // 2 HubSpot contacts, 1 Salesforce Lead, 1 Account
    expect(
      h.hs.store
        .all('contacts')
        .map((c) => c.properties.email)
        .sort(),
    ).toEqual(['ada@x.example', 'carol@hooli.example.com', 'grace@navy.example']);
    // Nothing changed after the first round: no record anywhere got a new modification stamp.
    expect(third?.stamps).toEqual(first?.stamps);
    for (const r of [second, third]) {
      const e = r?.report.entities ?? {};
      expect(Object.values(e).map((x) => [x.created, x.updated, x.conversions])).toEqual(
        Object.values(e).map(() => [0, 0, 0]),
      );
    }
  });

  it('makes at most one API call per object per system in an idle round', () => {
    const [, second, third] = rounds;
    const delta = (key: 'sf' | 'hs') => (third?.[key] ?? 0) - (second?.[key] ?? 0);
    // Salesforce: a query each for Lead, Contact, Account and Opportunity; HubSpot: a search each for contacts,
    // companies and deals. Deletes are asked for every sync.deletesEvery (5m), not every round.
    expect(delta('sf')).toBeLessThanOrEqual(4);
    expect(delta('hs')).toBeLessThanOrEqual(3);
  });

  it("serves the last round's counts and the Salesforce API budget as metrics", async () => {
    const text = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(text).toMatch(/^crm_bridge_jobs_completed_total\{queue="sync"\} [3-9]$/m);
    expect(text).toContain('crm_bridge_last_run_records{entity="person",outcome="created"} 0');
    // Every call the sandboxes served was made by a round, and counted when the round ended.
    const counted = (connection: string) =>
      Number(
        new RegExp(`^crm_bridge_api_calls_total\\{connection="${connection}",[^}]*\\} (\\d+)$`, 'm').exec(
          text,
        )?.[1],
      );
    // (A later round may be under way: its calls are served already but counted when it ends.)
    expect(counted('sf')).toBeGreaterThanOrEqual(rounds[2]?.sf ?? Number.NaN);
    expect(counted('sf')).toBeLessThanOrEqual(h.sf.calls());
    expect(counted('hs')).toBeGreaterThanOrEqual(rounds[2]?.hs ?? Number.NaN);
    expect(counted('hs')).toBeLessThanOrEqual(h.hs.calls());
    expect(text).toMatch(/^crm_bridge_api_budget_remaining\{connection="sf",system="salesforce"\} \d+$/m);
  });

  it('leaves the API budgets the CRMs reported where crm-bridge status reads them', async () => {
    const redis = new Redis(REDIS_URL);
    const budgets = await new UsageBoard(redis, prefix).read();
    redis.disconnect();
    expect(budgets.sf).toMatchObject({ system: 'salesforce', limit: 100_000 });
  });

  it('logs each round as JSON lines with its counts', () => {
    const finished = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'round finished');
    expect(finished.length).toBeGreaterThanOrEqual(3);
    expect(finished[0]).toMatchObject({ service: 'crm-bridge', pair: 'sf-hs', trigger: 'schedule' });
  });
});
