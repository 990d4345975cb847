import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileMapping } from '../../src/mapping/index.ts';
import { loadPolicy } from '../../src/policy/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';
import { MemoryConnector } from '../support/memory-connector.ts';

describe('conversions decided by the policy (in memory)', () => {
  let db: TestDatabase;
  let store: Store;
  let sf: MemoryConnector;
  let hs: MemoryConnector;
  let ctx: SyncContext;
  let account: string;
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
    const policy = await loadPolicy('config/policy.default.yaml');
    if (!policy.ok) throw new Error('the default policy does not load');
    ctx = {
      config,
      mapping,
      policy: policy.value,
      store,
      connectors: { sf, hs },
      now: () => new Date('2026-11-25T00:00:00.000Z'),
    };
    account = sf.seed('Account', { Name: 'Analytical Engines', Website: 'https://analytical.example.com' });
    hs.seed('companies', { name: 'Analytical Engines', domain: 'analytical.example.com' });
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('converts a sales-ready Lead in Salesforce, attached to the account its domain matches, and advances HubSpot', async () => {
    const lead = sf.seed('Lead', {
      LastName: 'Lovelace',
      Email: 'ada@analytical.example.com',
      Company: 'Analytical Engines',
    });
    hs.seed('contacts', {
      email: 'ada@analytical.example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
      jobtitle: 'Head of Engineering',
      country: 'United States',
      industry: 'COMPUTER_SOFTWARE',
      crm_bridge_employees: '250',
      // A demo request after a first inquiry, on a lead a rep works: sales-ready and accepted by sales.
      first_conversion_event_name: 'E-book: CRM hygiene',
      recent_conversion_event_name: 'Demo request',
      num_conversion_events: '2',
      hs_lead_status: 'IN_PROGRESS',
    });
    const report = await runSync(ctx);
    expect(report.entities.person?.conversions).toBe(1);

    const converted = sf.all('Lead').find((l) => l.id === lead)?.converted;
    expect(converted?.accountId).toBe(account);
    expect(sf.all('Account')).toHaveLength(1);
    const [contact] = hs.all('contacts');
    expect(contact?.fields.lifecyclestage).toBe('salesqualifiedlead');
    // Salesforce's conversion made the opportunity; the next round takes it to HubSpot as the one deal.
    expect(sf.all('Opportunity')).toHaveLength(1);
    await runSync(ctx);
    expect(hs.all('deals').map((d) => [d.fields.dealname, d.fields.pipeline, d.fields.dealstage])).toEqual([
      ['Analytical Engines-', 'default', 'appointmentscheduled'],
    ]);

    // The next rounds find the Contact the conversion made: nothing is created twice, nothing converted again.
    await runSync(ctx);
    await runSync(ctx);
    expect(sf.all('Contact').map((c) => c.fields.Email)).toEqual(['ada@analytical.example.com']);
    expect(sf.all('Lead')).toHaveLength(1);
    expect(hs.all('contacts')).toHaveLength(1);
    expect(hs.all('deals')).toHaveLength(1);
  });

  it('reflects a Lead converted by hand in Salesforce without duplicates', async () => {
    const lead = sf.seed('Lead', { LastName: 'Hopper', Email: 'grace@navy.example.org', Company: 'Navy' });
    await runSync(ctx);
    expect(hs.all('contacts').map((c) => c.fields.email)).toEqual(['grace@navy.example.org']);

    sf.convertByHand(lead);
    await runSync(ctx);
    await runSync(ctx);
    expect(hs.all('contacts')).toHaveLength(1);
    expect(sf.all('Contact')).toHaveLength(1);
    const [hsContact] = hs.all('contacts');
    const [sfContact] = sf.all('Contact');
    const links = await store.findLinks([
      { connection: 'hs', object: 'contacts', externalId: hsContact?.id as string },
      { connection: 'sf', object: 'Contact', externalId: sfContact?.id as string },
      { connection: 'sf', object: 'Lead', externalId: lead },
    ]);
    expect(new Set([...links.values()].map((l) => l.unifiedId)).size).toBe(1);
    expect(links.size).toBe(3);
  });

  it("never makes a person an opportunity or a customer through their account's deals alone", async () => {
    sf.seed('Contact', { LastName: 'Babbage', Email: 'bob@analytical.example.com', AccountId: account });
    await runSync(ctx);
    const stage = () =>
      hs.all('contacts').find((c) => c.fields.email === 'bob@analytical.example.com')?.fields.lifecyclestage;
    const before = stage();
    expect(before).not.toBe('opportunity');

    // A deal of the account that Bob is not on (no contact role): Bob stays where he was.
    const deal = sf.seed('Opportunity', {
      Name: 'Expansion',
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
      AccountId: account,
    });
    await runSync(ctx);
    expect(stage()).toBe(before);
    sf.edit('Opportunity', deal, { StageName: 'Closed Won', IsClosed: true, IsWon: true });
    await runSync(ctx);
    expect(stage()).toBe(before);
    expect(sf.all('Contact')[0]?.fields.Lifecycle_Stage__c).not.toBe('Customer');
  });
});
