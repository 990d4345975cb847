import { Client } from '@hubspot/api-client';
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import * as hubspotValues from '../../connectors/hubspot/standard-options.ts';
import * as salesforceValues from '../../connectors/salesforce/standard-picklists.ts';
import { sandboxEnv } from '../../sandboxes/env.ts';
import { EXAMPLE_CUSTOM_PROPERTIES, HubSpotSandbox, SANDBOX_TOKEN } from '../../sandboxes/hubspot/index.ts';
import {
  EXAMPLE_CUSTOM_FIELDS,
  type SalesforceSandbox,
  startSalesforceSandbox,
} from '../../sandboxes/salesforce/index.ts';
import { openStore, type QuarantineEntry, type Store } from '../../src/store/index.ts';
import type { SyncReport } from '../../src/sync/run-sync.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';

/** The n-th value of a list, round and round. */
const nth = <T>(values: readonly T[], n: number): T => values[n % values.length] as T;

/** What a Salesforce admin does for the example config: its custom fields, then a permission set granting them. */
async function createSalesforceFields(sf: SalesforceSandbox): Promise<void> {
  const conn = new jsforce.Connection({ instanceUrl: sf.url, accessToken: sf.accessToken, version: '62.0' });
  for (let i = 0; i < EXAMPLE_CUSTOM_FIELDS.length; i += 10) {
    const part = EXAMPLE_CUSTOM_FIELDS.slice(i, i + 10).map((d) => ({ ...d }));
    const results = await conn.metadata.create('CustomField', part as never);
    for (const r of (Array.isArray(results) ? results : [results]) as { success: boolean }[])
      expect(r.success).toBe(true);
  }
  const fieldPermissions = EXAMPLE_CUSTOM_FIELDS.map((f) => ({
    field: f.fullName,
    readable: true,
    editable: true,
  }));
  await conn.metadata.create('PermissionSet', [
    { fullName: 'Crm_Bridge', label: 'crm-bridge', fieldPermissions },
  ] as never);
  const user = await conn.query<{ Id: string }>(
    "SELECT Id FROM User WHERE Username = 'admin@sandbox.example.com'",
  );
  const set = await conn.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Crm_Bridge'");
  await conn
    .sobject('PermissionSetAssignment')
    .create([{ AssigneeId: user.records[0]?.Id, PermissionSetId: set.records[0]?.Id }]);
}

/** What a HubSpot admin does for the example config: a property group and its custom properties. */
async function createHubSpotProperties(hs: HubSpotSandbox): Promise<void> {
  const client = new Client({ accessToken: SANDBOX_TOKEN, basePath: hs.url });
  for (const [type, properties] of Object.entries(EXAMPLE_CUSTOM_PROPERTIES)) {
    const groups = new Set(properties.map((p) => p.groupName));
    for (const name of groups) await client.crm.properties.groupsApi.create(type, { name, label: name });
    for (const p of properties) await client.crm.properties.coreApi.create(type, p as never);
  }
}

const PEOPLE = 96;
const ACCOUNTS = 40;
const DEALS = 24;

/**
 * People, companies and deals using every standard picklist value of a new org and a new portal. Every third
 * person is in both CRMs, with the e-mail in another case; some accounts are in both (same domain).
 */
function seed(sf: SalesforceSandbox, hs: HubSpotSandbox) {
  const accounts = sf.seed(
    'Account',
    Array.from({ length: ACCOUNTS }, (_, i) => ({
      Name: `Account ${i}`,
      Website: `https://www.account-${i}.example.com`,
      Industry: nth(salesforceValues.INDUSTRIES, i),
      Type: nth(salesforceValues.ACCOUNT_TYPES, i),
    })),
  );
  const companies = hs.seed(
    'companies',
    Array.from({ length: hubspotValues.INDUSTRIES.length }, (_, i) => ({
      name: `Company ${i}`,
      // The first ten are the first ten Salesforce accounts.
      domain: i < 10 ? `account-${i}.example.com` : `company-${i}.example.com`,
      industry: nth(hubspotValues.INDUSTRIES, i),
      type: nth(hubspotValues.COMPANY_TYPES, i),
    })),
  );
  const leads: Record<string, unknown>[] = [];
  const contacts: Record<string, unknown>[] = [];
  const hubspot: Record<string, unknown>[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const email = `Person.${i}@Example.COM`;
    if (i % 4 === 3)
      contacts.push({
        LastName: `Contact ${i}`,
        Email: email,
        AccountId: nth(accounts, i),
        Salutation: nth(salesforceValues.SALUTATIONS, i),
        LeadSource: nth(salesforceValues.LEAD_SOURCES, i),
      });
    else if (i % 4 !== 2)
      leads.push({
        LastName: `Lead ${i}`,
        Email: email,
        Company: `Company of ${i}`,
        Salutation: nth(salesforceValues.SALUTATIONS, i),
        LeadSource: nth(salesforceValues.LEAD_SOURCES, i),
        Status: nth(salesforceValues.LEAD_STATUSES.slice(0, 2), i),
        Rating: nth(salesforceValues.RATINGS, i),
        Industry: nth(salesforceValues.INDUSTRIES, i),
      });
    // Every third person is in HubSpot too, and every person of i % 4 === 2 only there.
    if (i % 3 === 0 || i % 4 === 2)
      hubspot.push({
        email: email.toLowerCase(),
        lastname: `Person ${i}`,
        lifecyclestage: nth(hubspotValues.LIFECYCLE_STAGES, i),
        hs_lead_status: nth(hubspotValues.LEAD_STATUSES, i),
        hs_analytics_source: nth(hubspotValues.ANALYTICS_SOURCES, i),
        industry: nth(hubspotValues.INDUSTRIES, i * 7),
      });
  }
  sf.seed('Lead', leads);
  sf.seed('Contact', contacts);
  hs.seed('contacts', hubspot);
  sf.seed(
    'Opportunity',
    Array.from({ length: DEALS }, (_, i) => ({
      Name: `Opportunity ${i}`,
      StageName: nth(salesforceValues.OPPORTUNITY_STAGES, i),
      Type: nth(salesforceValues.OPPORTUNITY_TYPES, i),
      CloseDate: '2027-03-31',
      Amount: 1000 * (i + 1),
      AccountId: nth(accounts, i),
    })),
  );
  hs.seed(
    'deals',
    Array.from({ length: DEALS }, (_, i) => ({
      dealname: `Deal ${i}`,
      pipeline: hubspotValues.DEFAULT_PIPELINE,
      dealstage: nth(hubspotValues.DEFAULT_DEAL_STAGES, i),
      dealtype: nth(hubspotValues.DEAL_TYPES, i),
      closedate: '2027-03-31',
      amount: String(500 * (i + 1)),
    })),
  );
  return { companies };
}

interface Round {
  readonly report: SyncReport;
  readonly held: number;
  readonly refused: number;
  readonly fieldIssues: number;
}

describe('a new Salesforce org and a new HubSpot portal, synced with config/example.yaml', () => {
  let sf: SalesforceSandbox;
  let hs: HubSpotSandbox;
  let db: TestDatabase;
  let store: Store;
  let saved: NodeJS.ProcessEnv;
  const rounds: Round[] = [];
  const writes: number[] = [];

  /** API writes both sandboxes have received so far. */
  const writeCount = () => {
    let n = 0;
    for (const object of ['Lead', 'Contact', 'Account', 'Opportunity'])
      for (const c of sf.writes(object).values()) n += c;
    for (const type of ['contacts', 'companies', 'deals']) for (const c of hs.writes(type).values()) n += c;
    return n;
  };

  beforeAll(async () => {
    sf = await startSalesforceSandbox({ seed: 5 });
    hs = await HubSpotSandbox.start({
      seed: 5,
      omitTraceIds: true,
      limits: { perWindow: 10_000, searchPerSecond: 1000 },
    });
    db = sqliteDatabase();
    await createSalesforceFields(sf);
    await createHubSpotProperties(hs);
    seed(sf, hs);
    saved = { ...process.env };
    Object.assign(process.env, {
      ...sandboxEnv(sf, hs),
      DATABASE_URL: db.url,
    });
    store = await openStore(db.url);
    for (let round = 1; round <= 3; round++) {
      const output = captureOutput();
      const code = await main(
        ['node', 'crm-bridge', 'sync', '--once', '--json', '--config', 'config/example.yaml'],
        output,
      );
      if (code !== 0) throw new Error(`round ${round} exited ${code}: ${output.stderr}`);
      const open = await store.listQuarantine({ limit: 100_000 });
      const count = (kind: QuarantineEntry['kind']) => open.filter((e) => e.kind === kind).length;
      rounds.push({
        report: JSON.parse(output.stdout) as SyncReport,
        held: count('held'),
        refused: count('refused'),
        fieldIssues: count('field'),
      });
      writes.push(writeCount());
    }
  }, 120_000);
  afterAll(async () => {
    process.env = saved;
    await store?.close();
    await Promise.all([sf?.close(), hs?.close()]);
    await db?.drop();
  });

  it('syncs every person with an e-mail exactly once on each side, holding nobody', () => {
    const bySalesforce = new Map<string, number>();
    for (const object of ['Lead', 'Contact'])
      for (const r of sf.store.all(object)) {
        if (r.IsDeleted === true || r.IsConverted === true) continue;
        const email = String(r.Email).toLowerCase();
        bySalesforce.set(email, (bySalesforce.get(email) ?? 0) + 1);
      }
    const byHubSpot = new Map<string, number>();
    for (const c of hs.store.all('contacts')) {
      const email = String(c.properties.email).toLowerCase();
      byHubSpot.set(email, (byHubSpot.get(email) ?? 0) + 1);
    }
    const everyone = Array.from({ length: PEOPLE }, (_, i) => `person.${i}@example.com`).sort();
    expect([...bySalesforce.keys()].sort()).toEqual(everyone);
    expect([...byHubSpot.keys()].sort()).toEqual(everyone);
    expect([...bySalesforce.values(), ...byHubSpot.values()].every((n) => n === 1)).toBe(true);
    expect(rounds.map((r) => r.held)).toEqual([0, 0, 0]);
    expect(rounds.map((r) => r.refused)).toEqual([0, 0, 0]);
  });

  it('pairs every account and every deal', async () => {
    const pairs = async (sfObject: string, sfIds: string[], hsType: string, hsIds: string[]) => {
      const links = await store.findLinks([
        ...sfIds.map((externalId) => ({ connection: 'sf', object: sfObject, externalId })),
        ...hsIds.map((externalId) => ({ connection: 'hs', object: hsType, externalId })),
      ]);
      const ids = new Map<string, string[]>();
      for (const l of links.values()) ids.set(l.unifiedId, [...(ids.get(l.unifiedId) ?? []), l.connection]);
      return { linked: links.size, unified: [...ids.values()].map((c) => c.sort().join('+')) };
    };
    const accounts = [...sf.store.all('Account')].map((r) => r.Id as string);
    const companies = hs.store.all('companies').map((r) => r.id);
    expect(accounts.length).toBe(companies.length);
    const a = await pairs('Account', accounts, 'companies', companies);
    expect(a.linked).toBe(accounts.length + companies.length);
    expect(new Set(a.unified)).toEqual(new Set(['hs+sf']));
    const opportunities = [...sf.store.all('Opportunity')].map((r) => r.Id as string);
    const deals = hs.store.all('deals').map((r) => r.id);
    expect(opportunities.length).toBe(2 * DEALS);
    expect(deals.length).toBe(2 * DEALS);
    const d = await pairs('Opportunity', opportunities, 'deals', deals);
    expect(new Set(d.unified)).toEqual(new Set(['hs+sf']));
  });

  it('writes nothing in the second and third rounds', () => {
    expect(writes[1]).toBe(writes[0]);
    expect(writes[2]).toBe(writes[0]);
    for (const round of rounds.slice(1))
      for (const r of Object.values(round.report.entities)) {
        expect(r.creates).toEqual({});
        expect(r.updates).toEqual({});
      }
  });

  it('reports field issues only for values with no counterpart, grouped with counts', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'quarantine'], output)).toBe(0);
    const groups = output.stdout
      .split('\n')
      .filter((l) => / records?\(| records? \(/.test(l))
      .map((l) => l.replace(/ \(#[^)]*\)/, '').replace(/: .*$/, ''));
    // Salesforce's Industry "Other" and the customer account types have no HubSpot value; everything else maps.
    expect(groups.sort()).toEqual([
      expect.stringMatching(/^account sf Account industry = "other"$/),
      expect.stringMatching(/^account sf Account type = "customer"$/),
      expect.stringMatching(/^person sf Lead industry = "other"$/),
    ]);
    expect(rounds.map((r) => r.fieldIssues)).toEqual([
      rounds[0]?.fieldIssues,
      rounds[0]?.fieldIssues,
      rounds[0]?.fieldIssues,
    ]);
  });
});
