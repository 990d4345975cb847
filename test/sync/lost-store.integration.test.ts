import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { runSync, type SyncReport } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

/** Overlap, one-sided records, a deal on each side and accounts without a domain (as a lead conversion makes). */
function seed(h: SyncHarness) {
  const [analytical] = h.sf.seed('Account', [
    { Name: 'Analytical Engines', Website: 'https://analytical.example.com' },
    { Name: 'No Website Ltd' },
  ]);
  h.sf.seed('Contact', [{ LastName: 'Babbage', Email: 'bob@analytical.example.com', AccountId: analytical }]);
  h.sf.seed('Lead', [{ LastName: 'Lovelace', Email: 'ada@x.example', Company: 'X Ltd' }]);
  h.sf.seed('Opportunity', [
    {
      Name: 'Analytical expansion',
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
      AccountId: analytical,
    },
  ]);
  const [hooli] = h.hs.seed('companies', [
    { name: 'Hooli', domain: 'hooli.example.com' },
    { name: 'Nameless' },
  ]);
  h.hs.seed('contacts', [
    { email: 'ada@x.example', firstname: 'Ada', lastname: 'Lovelace' },
    {
      email: 'carol@hooli.example.com',
      firstname: 'Carol',
      lastname: 'Shaw',
      associatedcompanyid: String(hooli),
    },
  ]);
  h.hs.seed('deals', [
    { dealname: 'Hooli pilot', pipeline: 'default', dealstage: 'qualifiedtobuy', closedate: '2026-12-31' },
  ]);
}

const writes = (report: SyncReport) =>
  Object.fromEntries(
    Object.entries(report.entities).map(([entity, r]) => [
      entity,
      { creates: r.creates, updates: r.updates },
    ]),
  );

describe.each(ENGINES)('a lost state store, state on %s', (_engine, database) => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startHarness(database());
    seed(h);
  });
  afterEach(async () => {
    await h.close();
  });

  it('duplicates nothing: every pair is found again through the twin ids both CRMs hold', async () => {
    await runSync(await h.context());
    const counts = () => ({
      sf: ['Lead', 'Contact', 'Account', 'Opportunity'].map((o) => h.sf.count(o)),
      hs: ['contacts', 'companies', 'deals'].map((t) => h.hs.store.all(t).length),
    });
    const synced = counts();

    // A new, empty state store in place of the old one, as after moving from SQLite to PostgreSQL.
    const fresh = database();
    const store = await openStore(fresh.url);
    try {
      const ctx = { ...(await h.context()), store };
      const dry = await runSync(ctx, { dryRun: true });
      const real = await runSync(ctx);
      const nothing = { creates: {}, updates: {} };
      expect(writes(dry)).toEqual({ account: nothing, opportunity: nothing, person: nothing });
      expect(writes(real)).toEqual({ account: nothing, opportunity: nothing, person: nothing });
      expect(counts()).toEqual(synced);
    } finally {
      await store.close();
      await fresh.drop();
    }
  });
});
