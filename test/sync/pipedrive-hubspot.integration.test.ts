import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import * as hubspotValues from '../../connectors/hubspot/standard-options.ts';
import { CONTACT_LABELS, DEFAULT_PIPELINE } from '../../connectors/pipedrive/standard-fields.ts';
import { SANDBOX_TOKEN as HUBSPOT_TOKEN, HubSpotSandbox } from '../../sandboxes/hubspot/index.ts';
import { PIPEDRIVE_SANDBOX_TOKEN, PipedriveSandbox } from '../../sandboxes/pipedrive/index.ts';
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

const CONFIG = 'config/example.pipedrive.yaml';
const PEOPLE = 36;
const ORGANIZATIONS = 6;
const DEALS = 6;

/**
 * People, organizations and deals on both sides. Every third person is in both CRMs, with the e-mail in another
 * case in Pipedrive; the first three organizations are HubSpot companies too (same domain). Ada, in both, is
 * sales-ready by what HubSpot recorded of her, with an inquiry in Pipedrive's Leads Inbox; no rep has accepted her
 * yet.
 */
function seed(pd: PipedriveSandbox, hs: HubSpotSandbox) {
  const organizations = pd.seed(
    'organizations',
    Array.from({ length: ORGANIZATIONS }, (_, i) => ({
      name: `Organization ${i}`,
      website: `https://www.org-${i}.example.com`,
      industry: nth(PD_INDUSTRIES, i),
      employee_count: 100 * (i + 1),
      label_ids: [nth(CONTACT_LABELS, i).id],
    })),
  );
  hs.seed(
    'companies',
    Array.from({ length: ORGANIZATIONS }, (_, i) => ({
      name: `Company ${i}`,
      domain: i < 3 ? `org-${i}.example.com` : `company-${i}.example.com`,
      industry: nth(hubspotValues.INDUSTRIES, i * 5),
      type: nth(hubspotValues.COMPANY_TYPES, i),
    })),
  );
  const persons: Record<string, unknown>[] = [];
  const contacts: Record<string, unknown>[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const email = `person.${i}@example.com`;
    if (i % 3 !== 2)
      persons.push({
        name: `Person Number${i}`,
        emails: [{ value: i % 3 === 0 ? email.toUpperCase() : email, primary: true, label: 'work' }],
        org_id: nth(organizations, i),
        label_ids: [nth(CONTACT_LABELS, i).id],
        job_title: nth(['CTO', 'Buyer', 'Intern'], i),
      });
    if (i % 3 !== 1)
      contacts.push({
        email,
        firstname: 'Person',
        lastname: `Number${i}`,
        lifecyclestage: nth(hubspotValues.LIFECYCLE_STAGES, i),
        hs_lead_status: nth(hubspotValues.LEAD_STATUSES, i),
        hs_analytics_source: nth(hubspotValues.ANALYTICS_SOURCES, i),
        industry: nth(hubspotValues.INDUSTRIES, i * 7),
      });
  }
  const personIds = pd.seed('persons', persons);
  const [ada] = pd.seed('persons', [
    {
      name: 'Ada Lovelace',
      emails: [{ value: 'ada@org-0.example.com', primary: true, label: 'work' }],
      org_id: organizations[0],
    },
  ]) as [string];
  // Ada's inquiry sits in Pipedrive's Leads Inbox: a Pipedrive lead pointing at her (the person is the one the
  // policy classifies; her conversion turns this lead into the deal).
  const [inquiry] = pd.seed('leads', [
    { title: 'Analytical Engine rollout', person_id: Number(ada), value: { amount: 20000, currency: 'USD' } },
  ]) as [string];
  hs.seed('contacts', contacts);
  hs.seed('contacts', [
    {
      email: 'ada@org-0.example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
      jobtitle: 'Head of Engineering',
      country: 'United States',
      industry: 'COMPUTER_SOFTWARE',
      recent_conversion_event_name: 'Demo request',
      // A first inquiry, then the demo request: sales-ready needs an action after the first inquiry.
      num_conversion_events: '2',
      lifecyclestage: 'lead',
    },
  ]);
  pd.seed(
    'deals',
    Array.from({ length: DEALS }, (_, i) => ({
      title: `Pipedrive deal ${i}`,
      value: 1000 * (i + 1),
      currency: 'USD',
      pipeline_id: DEFAULT_PIPELINE.id,
      stage_id: nth(DEFAULT_PIPELINE.stages, i).id,
      status: nth(STATUSES, i),
      expected_close_date: '2027-03-31',
      person_id: Number(nth(personIds, i * 5)),
      org_id: Number(nth(organizations, i)),
    })),
  );
  hs.seed(
    'deals',
    Array.from({ length: DEALS }, (_, i) => ({
      dealname: `HubSpot deal ${i}`,
      pipeline: hubspotValues.DEFAULT_PIPELINE,
      dealstage: nth(hubspotValues.DEFAULT_DEAL_STAGES, i),
      closedate: '2027-03-31',
      amount: String(500 * (i + 1)),
    })),
  );
  return { ada, inquiry };
}

describe('a new Pipedrive company and a new HubSpot portal, synced with config/example.pipedrive.yaml', () => {
  let pd: PipedriveSandbox;
  let hs: HubSpotSandbox;
  let db: TestDatabase;
  let store: Store;
  let mapping: CompiledMapping;
  let saved: NodeJS.ProcessEnv;
  let ada: string;
  let inquiry: string;
  /** Ada's lifecycle stage on each side before a rep accepted her. */
  let adaWaiting: { pd: unknown; hs: unknown };
  let setupCode: number;
  let setupOutput: string;
  let checkCode: number;
  let checkOutput: string;
  const rounds: Round[] = [];
  const writes: number[] = [];

  /** API writes both sandboxes have received so far. */
  const writeCount = () => {
    let n = 0;
    for (const object of ['persons', 'organizations', 'deals'] as const)
      for (const c of pd.store.writes(object).values()) n += c;
    for (const type of ['contacts', 'companies', 'deals']) for (const c of hs.writes(type).values()) n += c;
    return n;
  };
  const counts = () => ({
    pd: (['persons', 'organizations', 'deals'] as const).map((o) => pd.count(o)),
    hs: ['contacts', 'companies', 'deals'].map((t) => hs.count(t)),
  });
  const adaStages = () => {
    const stage = customField(pd, 'persons', 'Lifecycle stage');
    const contact = hs.store.all('contacts').find((c) => c.properties.email === 'ada@org-0.example.com');
    return {
      pd: stage.label(pd.store.get('persons', ada)?.custom[stage.key]),
      hs: contact?.properties.lifecyclestage,
    };
  };
  const sync = (databaseUrl: string) => syncOnce(CONFIG, databaseUrl);

  beforeAll(async () => {
    pd = await PipedriveSandbox.start({ seed: 7, customFields: {}, limits: { perWindow: 400 } });
    hs = await HubSpotSandbox.start({
      seed: 7,
      omitTraceIds: true,
      limits: { perWindow: 10_000, searchPerSecond: 1000 },
    });
    db = sqliteDatabase();
    saved = { ...process.env };
    Object.assign(process.env, {
      PIPEDRIVE_BASE_URL: pd.url,
      PIPEDRIVE_API_TOKEN: PIPEDRIVE_SANDBOX_TOKEN,
      HUBSPOT_BASE_URL: hs.url,
      HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN,
      DATABASE_URL: db.url,
    });
    const loaded = await loadConfig(CONFIG);
    if (!loaded.ok) throw new Error(`${CONFIG} does not load`);
    mapping = compileMapping(loaded.value);
    // What an operator does on a new company account and portal: create the fields the config writes, then check.
    const setup = captureOutput();
    setupCode = await main(['node', 'crm-bridge', 'setup', '--apply', '--config', CONFIG], setup);
    setupOutput = setup.stdout + setup.stderr;
    const check = captureOutput();
    checkCode = await main(['node', 'crm-bridge', 'check', '--config', CONFIG], check);
    checkOutput = check.stderr;
    if (setupCode !== 0) throw new Error(setupOutput);
    ({ ada, inquiry } = seed(pd, hs));
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
    // A rep accepts Ada in Pipedrive (Lead status Working); three more rounds.
    const leadStatus = customField(pd, 'persons', 'Lead status');
    pd.touch('persons', [ada], { fields: { [leadStatus.key]: leadStatus.option('Working') } });
    for (let n = 4; n <= 6; n++) await round();
  }, 120_000);
  afterAll(async () => {
    process.env = saved;
    await store?.close();
    await Promise.all([pd?.close(), hs?.close()]);
    await db?.drop();
  });

  it('creates every field the config writes with crm-bridge setup, after which check finds none missing', () => {
    expect(setupCode, setupOutput).toBe(0);
    expect(setupOutput).toMatch(/^pd \(pipedrive\): created \d+ custom fields$/m);
    expect(setupOutput).toMatch(/^hs \(hubspot\): created \d+ properties$/m);
    expect(checkCode, checkOutput).toBe(0);
    expect(checkOutput).not.toMatch(/no such field|read-only/);
  });

  it('syncs every person exactly once on each side, holding and refusing nobody', () => {
    const byPipedrive = new Map<string, number>();
    for (const p of pd.store.all('persons')) {
      const emails = p.values.emails as { value: string; primary?: boolean }[];
      const email = String(emails.find((e) => e.primary)?.value ?? emails[0]?.value).toLowerCase();
      byPipedrive.set(email, (byPipedrive.get(email) ?? 0) + 1);
    }
    const byHubSpot = new Map<string, number>();
    for (const c of hs.store.all('contacts')) {
      const email = String(c.properties.email).toLowerCase();
      byHubSpot.set(email, (byHubSpot.get(email) ?? 0) + 1);
    }
    const everyone = [
      'ada@org-0.example.com',
      ...Array.from({ length: PEOPLE }, (_, i) => `person.${i}@example.com`),
    ].sort();
    expect([...byPipedrive.keys()].sort()).toEqual(everyone);
    expect([...byHubSpot.keys()].sort()).toEqual(everyone);
    expect([...byPipedrive.values(), ...byHubSpot.values()].every((n) => n === 1)).toBe(true);
    const quarantined = rounds.flatMap((r) => r.open.filter((e) => e.kind !== 'field'));
    expect(quarantined).toEqual([]);
    expect(rounds.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(rounds.map((r) => r.held)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(rounds.map((r) => r.refused)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('splits a Pipedrive name into HubSpot first and last names, and joins them back', () => {
    const byEmail = new Map(hs.store.all('contacts').map((c) => [c.properties.email, c.properties]));
    expect(byEmail.get('person.1@example.com')).toMatchObject({ firstname: 'Person', lastname: 'Number1' });
    const joined = pd.store.all('persons').find((p) => {
      const emails = p.values.emails as { value: string }[];
      return emails[0]?.value === 'person.2@example.com';
    });
    console.log(
      'H7',
      JSON.stringify(
        pd.store
          .all('persons')
          .slice(-14)
          .map((p) => [
            p.values.name,
            p.values.first_name,
            (p.values.emails as { value: string }[])[0]?.value,
          ]),
      ),
      JSON.stringify(
        hs.store
          .all('contacts')
          .slice(0, 3)
          .map((c) => c.properties),
      ),
    );
    expect(joined?.values.name).toBe('Person Number2');
  });

  it('pairs every organization with a company and every deal with a deal', async () => {
    const pairs = async (pdObject: string, pdIds: string[], hsType: string, hsIds: string[]) => {
      const links = await store.findLinks([
        ...pdIds.map((externalId) => ({ connection: 'pd', object: pdObject, externalId })),
        ...hsIds.map((externalId) => ({ connection: 'hs', object: hsType, externalId })),
      ]);
      const ids = new Map<string, string[]>();
      for (const l of links.values()) ids.set(l.unifiedId, [...(ids.get(l.unifiedId) ?? []), l.connection]);
      return { linked: links.size, unified: [...ids.values()].map((c) => c.sort().join('+')) };
    };
    const organizations = pd.store.all('organizations').map((r) => String(r.id));
    const companies = hs.store.all('companies').map((r) => r.id);
    // Three organizations share a domain with a company; the others are created on the other side.
    expect(organizations).toHaveLength(2 * ORGANIZATIONS - 3);
    expect(companies).toHaveLength(organizations.length);
    const a = await pairs('organizations', organizations, 'companies', companies);
    expect(a.linked).toBe(2 * organizations.length);
    expect(new Set(a.unified)).toEqual(new Set(['hs+pd']));
    const deals = pd.store.all('deals').map((r) => String(r.id));
    const hsDeals = hs.store.all('deals').map((r) => r.id);
    // Both sides' deals, and Ada's, made once by her conversion.
    expect(deals).toHaveLength(2 * DEALS + 1);
    expect(hsDeals).toHaveLength(2 * DEALS + 1);
    const d = await pairs('deals', deals, 'deals', hsDeals);
    expect(d.linked).toBe(2 * deals.length);
    expect(new Set(d.unified)).toEqual(new Set(['hs+pd']));
  });

  it('classifies every person by the one policy, with the same stage written to both sides', () => {
    const stage = customField(pd, 'persons', 'Lifecycle stage');
    const unifiedOf = (connection: 'pd' | 'hs', object: string, fields: Record<string, unknown>) => {
      const result = mapping.toUnified('person', connection, object, { id: 'r', fields });
      return result.ok ? (result.value as { lifecycleStage?: string }).lifecycleStage : undefined;
    };
    const pdStages = new Map<string, string | undefined>();
    for (const p of pd.store.all('persons')) {
      const email = String((p.values.emails as { value: string }[])[0]?.value).toLowerCase();
      pdStages.set(
        email,
        unifiedOf('pd', 'persons', { 'Lifecycle stage': stage.label(p.custom[stage.key]) }),
      );
    }
    const mismatched: string[] = [];
    for (const c of hs.store.all('contacts')) {
      const email = String(c.properties.email).toLowerCase();
      const hsStage = unifiedOf('hs', 'contacts', { lifecyclestage: c.properties.lifecyclestage });
      if (hsStage === undefined || hsStage !== pdStages.get(email))
        mismatched.push(`${email}: pd ${pdStages.get(email)}, hs ${hsStage}`);
    }
    expect(mismatched).toEqual([]);
  });

  it('converts the sales-ready person once a rep accepted her: one deal, made in Pipedrive, synced to HubSpot', () => {
    // Sales-ready, waiting for a rep at lead; converted in the round after the rep set her Lead status, never again.
    expect(adaWaiting).toEqual({ pd: 'Lead', hs: 'lead' });
    const conversions = rounds.map((r) => r.report.entities.person?.conversions ?? 0);
    expect(conversions).toEqual([0, 0, 0, 1, 0, 0]);
    // Her lead in the Leads Inbox became the deal (its title and value), and left the inbox.
    const deals = pd.store.all('deals').filter((d) => String(d.values.person_id) === ada);
    expect(deals.map((d) => [d.values.title, d.values.value])).toEqual([
      ['Analytical Engine rollout', 20000],
    ]);
    expect(pd.store.get('leads', inquiry)).toBeUndefined();
    // The deal is in the stage the policy names for a new deal, as Pipedrive spells it.
    expect(pd.read('deals', deals[0]?.id as number)?.stage_id).toBe(1);
    // Its twin in HubSpot (the sync writes no deal's people, in either CRM: they are the CRM's own).
    const hsDeals = hs.store
      .all('deals')
      .filter((d) => d.properties.dealname === 'Analytical Engine rollout');
    expect(hsDeals.map((d) => d.properties)).toEqual([
      expect.objectContaining({
        dealstage: 'appointmentscheduled',
        crm_bridge_pipedrive_id: String(deals[0]?.id),
      }),
    ]);
    // The deal reaches HubSpot in the round after it was made; nothing else is written then.
    expect(rounds[4]?.report.entities.opportunity?.creates).toEqual({ 'hs/deals': 1 });
    expect(adaStages()).toEqual({ pd: 'Opportunity', hs: 'opportunity' });
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
        expect(r.updates).toEqual({});
      }
      expect(counts()).toEqual(before);
    } finally {
      process.env.DATABASE_URL = db.url;
      await fresh.drop();
    }
  });
});
