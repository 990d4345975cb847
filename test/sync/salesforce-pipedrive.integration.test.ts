import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { CONTACT_LABELS, DEFAULT_PIPELINE } from '../../connectors/pipedrive/standard-fields.ts';
import * as salesforceValues from '../../connectors/salesforce/standard-picklists.ts';
import { sandboxEnv } from '../../sandboxes/env.ts';
import { PIPEDRIVE_SANDBOX_TOKEN, PipedriveSandbox } from '../../sandboxes/pipedrive/index.ts';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { type CompiledMapping, compileMapping } from '../../src/mapping/index.ts';
import { openStore, type QuarantineEntry, type Store } from '../../src/store/index.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';
import {
  customField,
  nth,
  PD_INDUSTRIES,
  type Round,
  STATUSES,
  syncOnce,
} from '../support/pipedrive-pair.ts';

const CONFIG = 'config/example.sf-pipedrive.yaml';
const PEOPLE = 36;
const ACCOUNTS = 6;
const DEALS = 6;
const ADA = 'ada@org-0.example.com';

const emailOf = (person: { values: Record<string, unknown> }) =>
  String((person.values.emails as { value: string }[] | undefined)?.[0]?.value).toLowerCase();

/**
 * Accounts, people and deals on both sides, using the standard picklist values of a new org. Every third person is
 * in both CRMs (a Lead or a Contact in Salesforce), with the e-mail in another case in Pipedrive; the first three
 * accounts are Pipedrive organizations too (same domain). Ada, a Lead in Salesforce and a person in Pipedrive, is
 * sales-ready by the signals Salesforce holds; no rep has accepted her yet.
 */
function seed(sf: SalesforceSandbox, pd: PipedriveSandbox) {
  const accounts = sf.seed(
    'Account',
    Array.from({ length: ACCOUNTS }, (_, i) => ({
      Name: `Account ${i}`,
      Website: i < 3 ? `https://www.org-${i}.example.com` : `https://www.account-${i}.example.com`,
      // Ada's account (the first) is in an industry the policy's profile fits, as her Lead says.
      Industry: i === 0 ? 'Technology' : nth(salesforceValues.INDUSTRIES, i * 5),
      Type: nth(salesforceValues.ACCOUNT_TYPES, i),
      NumberOfEmployees: 100 * (i + 1),
    })),
  );
  const organizations = pd.seed(
    'organizations',
    Array.from({ length: ACCOUNTS }, (_, i) => ({
      name: `Organization ${i}`,
      website: `https://www.org-${i}.example.com`,
      industry: nth(PD_INDUSTRIES, i),
      employee_count: 100 * (i + 1),
      label_ids: [nth(CONTACT_LABELS, i).id],
    })),
  );
  const leads: Record<string, unknown>[] = [];
  const contacts: Record<string, unknown>[] = [];
  const persons: Record<string, unknown>[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const email = `person.${i}@example.com`;
    if (i % 3 !== 2) {
      if (i % 2 === 0)
        leads.push({
          FirstName: 'Person',
          LastName: `Number${i}`,
          Email: email,
          Company: `Company of ${i}`,
          Salutation: nth(salesforceValues.SALUTATIONS, i),
          LeadSource: nth(salesforceValues.LEAD_SOURCES, i),
          Status: nth(salesforceValues.LEAD_STATUSES.slice(0, 2), i),
          Rating: nth(salesforceValues.RATINGS, i),
          Industry: nth(salesforceValues.INDUSTRIES, i),
        });
      else
        contacts.push({
          FirstName: 'Person',
          LastName: `Number${i}`,
          Email: email,
          AccountId: nth(accounts, i),
          LeadSource: nth(salesforceValues.LEAD_SOURCES, i),
        });
    }
    if (i % 3 !== 1)
      persons.push({
        name: `Person Number${i}`,
        emails: [{ value: i % 3 === 0 ? email.toUpperCase() : email, primary: true, label: 'work' }],
        org_id: nth(organizations, i),
        label_ids: [nth(CONTACT_LABELS, i).id],
      });
  }
  sf.seed('Lead', leads);
  sf.seed('Contact', contacts);
  const personIds = pd.seed('persons', persons);
  const [ada] = sf.seed('Lead', [
    {
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: ADA,
      Company: 'Organization 0',
      Title: 'Head of Engineering',
      Country: 'United States',
      Industry: 'Technology',
      NumberOfEmployees: 250,
      // A first inquiry, then the demo request (a Web-to-Lead form's hidden fields).
      Recent_Conversion__c: 'Demo request',
      Conversion_Count__c: 2,
      Status: 'Open - Not Contacted',
    },
  ]) as [string];
  pd.seed('persons', [
    {
      name: 'Ada Lovelace',
      emails: [{ value: ADA, primary: true, label: 'work' }],
      org_id: organizations[0],
    },
  ]);
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
  pd.seed(
    'deals',
    Array.from({ length: DEALS }, (_, i) => ({
      title: `Pipedrive deal ${i}`,
      value: 500 * (i + 1),
      currency: 'USD',
      pipeline_id: DEFAULT_PIPELINE.id,
      stage_id: nth(DEFAULT_PIPELINE.stages, i).id,
      status: nth(STATUSES, i),
      expected_close_date: '2027-03-31',
      person_id: Number(nth(personIds, i * 5)),
      org_id: Number(nth(organizations, i)),
    })),
  );
  return { ada };
}

describe('a new Salesforce org and a new Pipedrive company, synced with config/example.sf-pipedrive.yaml', () => {
  let sf: SalesforceSandbox;
  let pd: PipedriveSandbox;
  let db: TestDatabase;
  let store: Store;
  let mapping: CompiledMapping;
  let saved: NodeJS.ProcessEnv;
  let ada: string;
  /** Ada's lifecycle stage on each side before a rep accepted her. */
  let adaWaiting: { sf: unknown; pd: unknown };
  let setupCode: number;
  let setupOutput: string;
  let checkCode: number;
  let checkOutput: string;
  const rounds: Round[] = [];
  const writes: number[] = [];

  /** Salesforce's live people: Leads not converted, and Contacts. */
  const sfPeople = () =>
    ['Lead', 'Contact'].flatMap((object) =>
      [...sf.store.all(object)].filter((r) => r.IsDeleted !== true && r.IsConverted !== true),
    );
  /** API writes both sandboxes have received so far. */
  const writeCount = () => {
    let n = 0;
    for (const object of ['Lead', 'Contact', 'Account', 'Opportunity'])
      for (const c of sf.writes(object).values()) n += c;
    for (const object of ['persons', 'organizations', 'deals'] as const)
      for (const c of pd.store.writes(object).values()) n += c;
    return n;
  };
  const counts = () => ({
    sf: ['Lead', 'Contact', 'Account', 'Opportunity'].map((o) => sf.count(o)),
    pd: (['persons', 'organizations', 'deals'] as const).map((o) => pd.count(o)),
  });
  const adaStages = () => {
    const stage = customField(pd, 'persons', 'Lifecycle stage');
    const person = pd.store.all('persons').find((p) => emailOf(p) === ADA);
    return {
      sf: sfPeople().find((r) => r.Email === ADA)?.Lifecycle_Stage__c,
      pd: stage.label(person?.custom[stage.key]),
    };
  };
  const sync = (databaseUrl: string) => syncOnce(CONFIG, databaseUrl);

  beforeAll(async () => {
    sf = await startSalesforceSandbox({ seed: 9 });
    pd = await PipedriveSandbox.start({ seed: 9, customFields: {}, limits: { perWindow: 400 } });
    db = sqliteDatabase();
    saved = { ...process.env };
    const salesforceEnv = Object.entries(sandboxEnv(sf, pd)).filter(([name]) =>
      name.startsWith('SALESFORCE_'),
    );
    Object.assign(process.env, {
      ...Object.fromEntries(salesforceEnv),
      PIPEDRIVE_BASE_URL: pd.url,
      PIPEDRIVE_API_TOKEN: PIPEDRIVE_SANDBOX_TOKEN,
      DATABASE_URL: db.url,
    });
    const loaded = await loadConfig(CONFIG);
    if (!loaded.ok) throw new Error(`${CONFIG} does not load`);
    mapping = compileMapping(loaded.value);
    // What an operator does on a new org and company account: create the fields the config writes, then check.
    const setup = captureOutput();
    setupCode = await main(['node', 'crm-bridge', 'setup', '--apply', '--config', CONFIG], setup);
    setupOutput = setup.stdout + setup.stderr;
    if (setupCode !== 0) throw new Error(setupOutput);
    const check = captureOutput();
    checkCode = await main(['node', 'crm-bridge', 'check', '--config', CONFIG], check);
    checkOutput = check.stderr;
    ({ ada } = seed(sf, pd));
    store = await openStore(db.url);
    const round = async () => {
      const { code, report } = await sync(db.url);
      const open = await store.listQuarantine({ limit: 100_000 });
      const count = (kind: QuarantineEntry['kind']) => open.filter((e) => e.kind === kind).length;
      rounds.push({ code, report, held: count('held'), refused: count('refused'), open });
      writes.push(writeCount());
    };
    for (let n = 1; n <= 3; n++) await round();
    adaWaiting = adaStages();
    // A rep accepts Ada in Salesforce (Lead Status Working - Contacted); three more rounds.
    sf.touch('Lead', [ada], { fields: { Status: 'Working - Contacted' } });
    for (let n = 4; n <= 6; n++) await round();
  }, 120_000);
  afterAll(async () => {
    process.env = saved;
    await store?.close();
    await Promise.all([sf?.close(), pd?.close()]);
    await db?.drop();
  });

  it('creates every field the config writes with crm-bridge setup, after which check finds none missing', () => {
    expect(setupCode, setupOutput).toBe(0);
    expect(setupOutput).toMatch(/^sf \(salesforce\): created \d+ fields$/m);
    expect(setupOutput).toMatch(/^pd \(pipedrive\): created \d+ custom fields$/m);
    expect(checkCode, checkOutput).toBe(0);
    expect(checkOutput).not.toMatch(/no such field|read-only/);
  });

  it('syncs every person exactly once on each side, holding and refusing nobody', () => {
    const bySalesforce = new Map<string, number>();
    for (const r of sfPeople()) {
      const email = String(r.Email).toLowerCase();
      bySalesforce.set(email, (bySalesforce.get(email) ?? 0) + 1);
    }
    const byPipedrive = new Map<string, number>();
    for (const p of pd.store.all('persons'))
      byPipedrive.set(emailOf(p), (byPipedrive.get(emailOf(p)) ?? 0) + 1);
    const everyone = [ADA, ...Array.from({ length: PEOPLE }, (_, i) => `person.${i}@example.com`)].sort();
    expect([...bySalesforce.keys()].sort()).toEqual(everyone);
    expect([...byPipedrive.keys()].sort()).toEqual(everyone);
    expect([...bySalesforce.values(), ...byPipedrive.values()].every((n) => n === 1)).toBe(true);
    expect(rounds.flatMap((r) => r.open.filter((e) => e.kind !== 'field'))).toEqual([]);
    expect(rounds.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(rounds.map((r) => r.held)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(rounds.map((r) => r.refused)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('joins Salesforce first and last names into a Pipedrive name, and splits it back', () => {
    const person = pd.store.all('persons').find((p) => emailOf(p) === 'person.1@example.com');
    expect(person?.values.name).toBe('Person Number1');
    const lead = sfPeople().find((r) => r.Email === 'person.2@example.com');
    expect(lead).toMatchObject({ FirstName: 'Person', LastName: 'Number2' });
  });

  it('pairs every account with an organization and every opportunity with a deal', async () => {
    const pairs = async (sfObject: string, sfIds: string[], pdObject: string, pdIds: string[]) => {
      const links = await store.findLinks([
        ...sfIds.map((externalId) => ({ connection: 'sf', object: sfObject, externalId })),
        ...pdIds.map((externalId) => ({ connection: 'pd', object: pdObject, externalId })),
      ]);
      const ids = new Map<string, string[]>();
      for (const l of links.values()) ids.set(l.unifiedId, [...(ids.get(l.unifiedId) ?? []), l.connection]);
      return { linked: links.size, unified: [...ids.values()].map((c) => c.sort().join('+')) };
    };
    const accounts = [...sf.store.all('Account')].map((r) => r.Id as string);
    const organizations = pd.store.all('organizations').map((r) => String(r.id));
    // Three accounts share a domain with an organization; the others are created on the other side.
    expect(accounts).toHaveLength(2 * ACCOUNTS - 3);
    expect(organizations).toHaveLength(accounts.length);
    const a = await pairs('Account', accounts, 'organizations', organizations);
    expect(a.linked).toBe(2 * accounts.length);
    expect(new Set(a.unified)).toEqual(new Set(['pd+sf']));
    const opportunities = [...sf.store.all('Opportunity')].map((r) => r.Id as string);
    const deals = pd.store.all('deals').map((r) => String(r.id));
    // Both sides' deals, and the opportunity Ada's conversion made.
    expect(opportunities).toHaveLength(2 * DEALS + 1);
    expect(deals).toHaveLength(2 * DEALS + 1);
    const d = await pairs('Opportunity', opportunities, 'deals', deals);
    expect(d.linked).toBe(2 * deals.length);
    expect(new Set(d.unified)).toEqual(new Set(['pd+sf']));
  });

  it('classifies every person by the one policy, with the same stage written to both sides', () => {
    const stage = customField(pd, 'persons', 'Lifecycle stage');
    const unifiedOf = (connection: 'sf' | 'pd', object: string, fields: Record<string, unknown>) => {
      const result = mapping.toUnified('person', connection, object, { id: 'r', fields });
      return result.ok ? (result.value as { lifecycleStage?: string }).lifecycleStage : undefined;
    };
    const pdStages = new Map(
      pd.store
        .all('persons')
        .map((p) => [
          emailOf(p),
          unifiedOf('pd', 'persons', { 'Lifecycle stage': stage.label(p.custom[stage.key]) }),
        ]),
    );
    const mismatched: string[] = [];
    for (const r of sfPeople()) {
      const email = String(r.Email).toLowerCase();
      const sfStage = unifiedOf('sf', 'Lead', { Lifecycle_Stage__c: r.Lifecycle_Stage__c });
      if (sfStage === undefined || sfStage !== pdStages.get(email))
        mismatched.push(`${email}: sf ${sfStage}, pd ${pdStages.get(email)}`);
    }
    expect(mismatched).toEqual([]);
  });

  it('converts the Lead once a rep accepted it: one opportunity, made by the conversion, synced to Pipedrive', () => {
    expect(adaWaiting).toEqual({ sf: 'Lead', pd: 'Lead' });
    const conversions = rounds.map((r) => r.report.entities.person?.conversions ?? 0);
    expect(conversions).toEqual([0, 0, 0, 1, 0, 0]);
    const lead = sf.read('Lead', ada);
    expect(lead?.IsConverted).toBe(true);
    const contact = sf.read('Contact', String(lead?.ConvertedContactId));
    expect(contact?.Email).toBe(ADA);
    const opportunity = sf.read('Opportunity', String(lead?.ConvertedOpportunityId));
    expect(opportunity?.AccountId).toBe(lead?.ConvertedAccountId);
    // The opportunity's twin in Pipedrive, on Ada's organization; Pipedrive made no deal of its own.
    const twin = customField(pd, 'deals', 'crm-bridge Salesforce id');
    const deals = pd.store.all('deals').filter((d) => d.custom[twin.key] === opportunity?.Id);
    expect(deals).toHaveLength(1);
    expect(pd.store.all('deals').filter((d) => d.values.title === opportunity?.Name)).toHaveLength(1);
    expect(adaStages()).toEqual({ sf: 'Opportunity', pd: 'Opportunity' });
  });

  it('writes nothing in a round after one that left both sides the same', () => {
    for (const n of [1, 2, 5])
      for (const r of Object.values(rounds[n]?.report.entities ?? {})) {
        expect(r.creates, `round ${n + 1}`).toEqual({});
        expect(r.updates, `round ${n + 1}: ${JSON.stringify(r.samples)}`).toEqual({});
      }
    expect(writes[1]).toBe(writes[0]);
    expect(writes[2]).toBe(writes[0]);
    expect(writes[5]).toBe(writes[4]);
  });

  it('pairs everything again through the twin ids after the state store is lost, duplicating nothing', async () => {
    const before = counts();
    const fresh = sqliteDatabase();
    try {
      const { code, report } = await sync(fresh.url);
      expect(code).toBe(0);
      for (const r of Object.values(report.entities)) {
        expect(r.creates).toEqual({});
        expect(r.updates, JSON.stringify(r.samples)).toEqual({});
      }
      expect(counts()).toEqual(before);
    } finally {
      process.env.DATABASE_URL = db.url;
      await fresh.drop();
    }
  });
});
