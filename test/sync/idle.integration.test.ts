import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncContext } from '../../src/sync/context.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

describe('rounds with nothing to do, as a long-running worker runs them', () => {
  let h: SyncHarness;
  let ctx: SyncContext;
  let clock = Date.parse('2026-11-25T12:00:00.000Z');
  beforeEach(async () => {
    h = await startHarness(sqliteDatabase());
    const [account] = h.sf.seed('Account', [
      { Name: 'Analytical Engines', Website: 'https://analytical.example.com' },
    ]);
    h.sf.seed('Contact', [{ LastName: 'Babbage', Email: 'bob@analytical.example.com', AccountId: account }]);
    h.sf.seed('Lead', [{ LastName: 'Lovelace', Email: 'ada@x.example', Company: 'X Ltd' }]);
    h.hs.seed('contacts', [{ email: 'carol@hooli.example.com', lastname: 'Shaw' }]);
    // One context for every round, as the worker keeps one: connectors (and what they describe) live on.
    ctx = { ...(await h.context()), now: () => new Date(clock) };
    await runSync(ctx);
    clock += 2000;
    await runSync(ctx);
  });
  afterEach(async () => {
    await h.close();
  });

  it('makes at most one API call per object per system', async () => {
    clock += 2000;
    const before = { sf: h.sf.calls(), hs: h.hs.calls() };
    const report = await runSync(ctx);
    for (const r of Object.values(report.entities)) expect([r.creates, r.updates]).toEqual([{}, {}]);
    // Salesforce: Account, Opportunity, Lead, Contact; HubSpot: companies, deals, contacts.
    expect(h.sf.calls() - before.sf).toBeLessThanOrEqual(4);
    expect(h.hs.calls() - before.hs).toBeLessThanOrEqual(3);
  });

  it('asks for deletes every deletesEvery (5m by default), and then sees them', async () => {
    const lead = [...h.sf.store.all('Lead')][0]?.Id as string;
    const twin = h.hs.store.all('contacts').find((c) => c.properties.email === 'ada@x.example')?.id as string;
    h.sf.remove('Lead', [lead]);
    clock += 60_000;
    expect((await runSync(ctx)).entities.person?.deletes.unlinked).toBe(0);
    clock += 5 * 60_000;
    expect((await runSync(ctx)).entities.person?.deletes.unlinked).toBe(1);
    expect((await h.store.findLinks([{ connection: 'hs', object: 'contacts', externalId: twin }])).size).toBe(
      1,
    );
    expect((await h.store.findLinks([{ connection: 'sf', object: 'Lead', externalId: lead }])).size).toBe(0);
  });
});
