import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileMapping } from '../../src/mapping/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';
import { MemoryConnector } from '../support/memory-connector.ts';

describe('a sync round between two CRMs (in memory)', () => {
  let db: TestDatabase;
  let store: Store;
  let sf: MemoryConnector;
  let hs: MemoryConnector;
  let ctx: SyncContext;
  beforeEach(async () => {
    db = sqliteDatabase();
    store = await openStore(db.url);
    sf = new MemoryConnector('salesforce');
    hs = new MemoryConnector('hubspot');
    const config = await exampleConfig();
    const mapping = compileMapping(config);
    sf.fieldsFor(
      mapping,
      { Lead: 'person', Contact: 'person', Account: 'account', Opportunity: 'opportunity' },
      'sf',
    );
    hs.fieldsFor(mapping, { contacts: 'person', companies: 'account', deals: 'opportunity' }, 'hs');
    ctx = {
      config,
      mapping,
      policy: undefined,
      store,
      connectors: { sf, hs },
      now: () => new Date('2026-11-25T00:00:00.000Z'),
    };
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  const seedOverlap = () => {
    const account = sf.seed('Account', {
      Name: 'Analytical Engines',
      Website: 'https://www.analytical.example.com',
    });
    sf.seed('Contact', { LastName: 'Babbage', Email: 'bob@analytical.example.com', AccountId: account });
    sf.seed('Lead', { LastName: 'Lovelace', Email: 'ada@x.example', Company: 'X Ltd' });
    hs.seed('companies', { name: 'Analytical Engines', domain: 'analytical.example.com' });
    hs.seed('contacts', { email: 'ada@x.example', firstname: 'Ada', lastname: 'Lovelace', jobtitle: 'CTO' });
    hs.seed('contacts', { email: 'carol@z.example', lastname: 'Shaw' });
    return account;
  };

  it('ends with every person and account once on each side, linked, and the company matched by domain', async () => {
    const account = seedOverlap();
    const report = await runSync(ctx);
    expect(report.entities.person?.quarantined).toBe(0);

    expect(sf.all('Account')).toHaveLength(1);
    expect(hs.all('companies')).toHaveLength(1);
    expect(
      hs
        .all('contacts')
        .map((c) => c.fields.email)
        .sort(),
    ).toEqual(['ada@x.example', 'bob@analytical.example.com', 'carol@z.example']);
    expect(
      sf
        .all('Lead')
        .map((l) => l.fields.Email)
        .sort(),
    ).toEqual(['ada@x.example', 'carol@z.example']);
    expect(sf.all('Contact').map((c) => c.fields.Email)).toEqual(['bob@analytical.example.com']);

    // HubSpot's title reached the Salesforce Lead; Salesforce's account reached HubSpot as the contact's company.
    expect(sf.all('Lead').find((l) => l.fields.Email === 'ada@x.example')?.fields.Title).toBe('CTO');
    const company = hs.all('companies')[0]?.id;
    expect(
      hs.all('contacts').find((c) => c.fields.email === 'bob@analytical.example.com')?.fields
        .associatedcompanyid,
    ).toBe(company);
    const links = await store.linksOf(
      [
        ...(await store.findLinks([{ connection: 'sf', object: 'Account', externalId: account }])).values(),
      ].map((l) => l.unifiedId),
    );
    expect(links.map((l) => `${l.connection}/${l.object}`).sort()).toEqual(['hs/companies', 'sf/Account']);
  });

  it('writes nothing on a second round right after the first', async () => {
    seedOverlap();
    await runSync(ctx);
    const writes = { sf: sf.counts.writes, hs: hs.counts.writes };
    const second = await runSync(ctx);
    expect({ sf: sf.counts.writes, hs: hs.counts.writes }).toEqual(writes);
    expect(second.entities.person?.changed).toBe(0);
  });

  it('writes exactly the records changed on one side to the other', async () => {
    seedOverlap();
    await runSync(ctx);
    const before = sf.counts.writes;
    const [ada, carol] = hs.all('contacts');
    hs.edit('contacts', ada?.id as string, { jobtitle: 'CEO' });
    hs.edit('contacts', carol?.id as string, { phone: '+44 20 7946 0000' });
    const report = await runSync(ctx);
    expect(sf.counts.writes - before).toBe(2);
    expect(report.entities.person?.updates).toEqual({ 'sf/Lead': 2 });
    expect(sf.all('Lead').find((l) => l.fields.Email === 'ada@x.example')?.fields.Title).toBe('CEO');
    expect(sf.all('Lead').find((l) => l.fields.Email === 'carol@z.example')?.fields.Phone).toBe(
      '+442079460000',
    );
  });

  it('plans without writing anything in a dry run', async () => {
    seedOverlap();
    const report = await runSync(ctx, { dryRun: true });
    expect(sf.counts.writes + hs.counts.writes).toBe(0);
    expect(report.entities.person?.creates).toEqual({ 'hs/contacts': 1, 'sf/Lead': 1 });
    expect(await store.listRuns(5)).toEqual([]);
    expect(await store.getCursor('sf', 'Lead')).toBeUndefined();
  });

  it('quarantines a record the target refuses and lands the rest', async () => {
    seedOverlap();
    sf.validate = (object, fields) =>
      object === 'Lead' && fields.Email === 'carol@z.example' ? 'REQUIRED_FIELD_MISSING: Company' : undefined;
    const report = await runSync(ctx);
    expect(report.entities.person?.quarantined).toBe(1);
    const [entry] = await store.listQuarantine();
    // The create failed, so the entry names the HubSpot contact the values came from.
    expect(entry).toMatchObject({
      connection: 'hs',
      object: 'contacts',
      externalId: hs.all('contacts').find((c) => c.fields.email === 'carol@z.example')?.id,
      reason: 'creating sf Lead: invalid: REQUIRED_FIELD_MISSING: Company',
    });
    expect(hs.all('contacts')).toHaveLength(3);
  });
});
