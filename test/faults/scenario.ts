/**
 * The fault suite's scenario: both sandboxes seeded as two teams fill them (the demo's people, a share in both
 * CRMs, accounts and deals both ways) plus people the default policy converts, and the end state of both CRMs
 * normalised so that two runs can be compared field by field.
 */

import { randomBytes } from 'node:crypto';
import { seedDemo } from '../../sandboxes/demo-data.ts';
import { EXAMPLE_CUSTOM_PROPERTIES, HubSpotSandbox } from '../../sandboxes/hubspot/index.ts';
import {
  EXAMPLE_ORG,
  type SalesforceSandbox,
  startSalesforceSandbox,
} from '../../sandboxes/salesforce/index.ts';

/** Credentials of this run only, long and random, so that a leak of any of them is found by its value. */
export interface RunSecrets {
  readonly hubspotToken: string;
  readonly salesforceClientSecret: string;
  readonly salesforceRefreshToken: string;
}

export function newSecrets(): RunSecrets {
  const secret = (what: string) => `${what}-${randomBytes(18).toString('base64url')}`;
  return {
    hubspotToken: secret('pat-na1'),
    salesforceClientSecret: secret('sf-secret'),
    salesforceRefreshToken: secret('5Aep861'),
  };
}

export interface Sandboxes {
  readonly sf: SalesforceSandbox;
  readonly hs: HubSpotSandbox;
  /** The environment the example config's env:NAME settings resolve from. */
  readonly env: Record<string, string>;
  /** Every Salesforce access token issued so far (the connectors log in through the refresh token). */
  readonly issuedTokens: string[];
  close(): Promise<void>;
}

export async function startSandboxes(secrets: RunSecrets): Promise<Sandboxes> {
  const sf = await startSalesforceSandbox({
    seed: 7,
    ...EXAMPLE_ORG,
    credentials: {
      clientSecret: secrets.salesforceClientSecret,
      refreshToken: secrets.salesforceRefreshToken,
    },
  });
  const hs = await HubSpotSandbox.start({
    seed: 8, // not the org's: the two draw their faults independently
    limits: { perWindow: 100_000, searchPerSecond: 1000 },
    customProperties: EXAMPLE_CUSTOM_PROPERTIES,
    credentials: { accessTokens: [secrets.hubspotToken] },
  });
  // Observe the tokens the org hands out, to look for them afterwards wherever crm-bridge keeps text.
  const issuedTokens: string[] = [];
  const issue = sf.tokens.issue.bind(sf.tokens);
  sf.tokens.issue = () => {
    const token = issue();
    issuedTokens.push(token);
    return token;
  };
  return {
    sf,
    hs,
    issuedTokens,
    env: {
      SALESFORCE_INSTANCE_URL: sf.url,
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_CLIENT_ID: sf.credentials.clientId,
      SALESFORCE_CLIENT_SECRET: secrets.salesforceClientSecret,
      SALESFORCE_REFRESH_TOKEN: secrets.salesforceRefreshToken,
      HUBSPOT_BASE_URL: hs.url,
      HUBSPOT_ACCESS_TOKEN: secrets.hubspotToken,
    },
    close: async () => {
      await Promise.all([sf.close(), hs.close()]);
    },
  };
}

/** How many people of the scenario the default policy converts (sales-ready and accepted by a rep). */
export const CONVERTING = 100;
const CONVERTING_COMPANIES = 20;

/**
 * The demo's data for `people` people, plus CONVERTING people in both CRMs who fit the profile, asked for a demo
 * twice and whom a rep works (Lead Status Working - Contacted): the default policy converts each of their Leads,
 * on the account their domain matches.
 */
export function seedScenario(sb: Pick<Sandboxes, 'sf' | 'hs'>, people: number): void {
  seedDemo(sb.sf, sb.hs, people);
  const domain = (k: number) => `converting-${k}.example.com`;
  const companies = Array.from({ length: CONVERTING_COMPANIES }, (_, k) => k);
  sb.sf.seed(
    'Account',
    companies.map((k) => ({
      Name: `Converting Systems ${k}`,
      Website: `https://${domain(k)}`,
      Industry: 'Technology',
      NumberOfEmployees: 250,
      BillingCountry: 'United States',
    })),
  );
  sb.hs.seed(
    'companies',
    companies.map((k) => ({
      name: `Converting Systems ${k}`,
      domain: domain(k),
      industry: 'COMPUTER_SOFTWARE',
    })),
  );
  const persons = Array.from({ length: CONVERTING }, (_, i) => ({
    first: `Ada${i}`,
    last: `Converting${i}`,
    email: `ada.${i}@${domain(i % CONVERTING_COMPANIES)}`,
    company: `Converting Systems ${i % CONVERTING_COMPANIES}`,
  }));
  sb.sf.seed(
    'Lead',
    persons.map((p) => ({
      FirstName: p.first,
      LastName: p.last,
      Email: p.email,
      Company: p.company,
      Title: 'Head of Engineering',
      Country: 'United States',
      Industry: 'Technology',
      NumberOfEmployees: 250,
      Status: 'Working - Contacted',
    })),
  );
  sb.hs.seed(
    'contacts',
    persons.map((p) => ({
      email: p.email,
      firstname: p.first,
      lastname: p.last,
      jobtitle: 'Head of Engineering',
      country: 'United States',
      industry: 'COMPUTER_SOFTWARE',
      crm_bridge_employees: '250',
      recent_conversion_event_name: 'Demo request',
      num_conversion_events: '3',
      lifecyclestage: 'lead',
    })),
  );
}

/** Salesforce fields that hold ids of other records: written as the key of the record they name. */
const SF_REFERENCES = new Set([
  'AccountId',
  'ConvertedAccountId',
  'ConvertedContactId',
  'ConvertedOpportunityId',
  'MasterRecordId',
]);
/** Fields that are times the CRM stamps (when, not what) or the record's own id: left out. */
const SF_STAMPS = new Set(['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'ConvertedDate']);
const HS_STAMPS = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate']);
const isHubSpotStamp = (name: string) => HS_STAMPS.has(name) || /^hs_(v2_)?date_|_date$|^hs_time_/.test(name);

const SF_OBJECTS = ['Lead', 'Contact', 'Account', 'Opportunity'] as const;
const HS_TYPES = ['contacts', 'companies', 'deals'] as const;

/** What identifies a record across runs: a person's e-mail, a company's domain (or name), a deal's name. */
function sfKey(object: string, r: Readonly<Record<string, unknown>>): string {
  const text = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : String(v));
  if (object === 'Lead' || object === 'Contact') return `${object}:${text(r.Email)}`;
  if (object === 'Account') return `Account:${text(r.Website ?? r.Name)}`;
  return `${object}:${text(r.Name)}`;
}

function hsKey(type: string, p: Readonly<Record<string, string | undefined>>): string {
  const text = (v: string | undefined) => (v ?? '<none>').toLowerCase();
  if (type === 'contacts') return `contacts:${text(p.email)}`;
  if (type === 'companies') return `companies:${text(p.domain ?? p.name)}`;
  return `deals:${text(p.dealname)}`;
}

/**
 * Both CRMs' records, by identifying key: each key lists the normalised records holding it (ids replaced by the
 * key of the record they name, stamps left out), sorted. A record lost, made twice or holding another value shows
 * as a difference between two runs' states.
 */
export type EndState = Record<string, string[]>;

export function endState(sb: Pick<Sandboxes, 'sf' | 'hs'>): EndState {
  const sfKeys = new Map<string, string>();
  for (const object of SF_OBJECTS)
    for (const r of sb.sf.store.all(object)) sfKeys.set(String(r.Id), sfKey(object, r));
  const hsKeys = new Map<string, string>();
  for (const type of HS_TYPES)
    for (const o of sb.hs.store.all(type)) hsKeys.set(o.id, hsKey(type, o.properties));
  const named = (keys: Map<string, string>, id: unknown) =>
    id === null || id === undefined || id === ''
      ? id
      : (keys.get(String(id)) ?? `<unknown id ${String(id)}>`);

  const out: Record<string, string[]> = {};
  const add = (key: string, record: Record<string, unknown>) => {
    const sorted = Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
    out[key] = [...(out[key] ?? []), JSON.stringify(sorted)].sort();
  };
  for (const object of SF_OBJECTS) {
    for (const r of sb.sf.store.all(object)) {
      const fields: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(r)) {
        if (SF_STAMPS.has(name)) continue;
        if (SF_REFERENCES.has(name)) fields[name] = named(sfKeys, value);
        else if (name === 'HubSpot_Id__c') fields[name] = named(hsKeys, value);
        else fields[name] = value;
      }
      add(sfKey(object, r), fields);
    }
  }
  for (const type of HS_TYPES) {
    for (const o of sb.hs.store.all(type)) {
      const fields: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(o.properties)) {
        if (isHubSpotStamp(name)) continue;
        if (name === 'crm_bridge_salesforce_id') fields[name] = named(sfKeys, value);
        else if (name === 'associatedcompanyid') fields[name] = named(hsKeys, value);
        else fields[name] = value;
      }
      for (const other of HS_TYPES)
        if (other !== type)
          fields[`associations.${other}`] = sb.hs.store
            .associated(type, o.id, other)
            .map((id) => named(hsKeys, id))
            .sort();
      add(hsKey(type, o.properties), fields);
    }
  }
  return out;
}

/** Records per object in both CRMs, for the printed figures. */
export function recordCounts(sb: Pick<Sandboxes, 'sf' | 'hs'>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const object of SF_OBJECTS) counts[`sf/${object}`] = [...sb.sf.store.all(object)].length;
  for (const type of HS_TYPES) counts[`hs/${type}`] = sb.hs.store.all(type).length;
  return counts;
}

/** The differences between two end states: keys lost, made twice, or holding other values. */
export function differences(expected: EndState, actual: EndState): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const want = expected[key] ?? [];
    const got = actual[key] ?? [];
    if (want.length > got.length) out.push(`${key}: lost (${want.length} expected, ${got.length} found)`);
    else if (want.length < got.length)
      out.push(`${key}: duplicated (${want.length} expected, ${got.length} found)`);
    else if (want.some((w, i) => w !== got[i]))
      out.push(
        `${key}: values differ\n  expected ${want.join('\n           ')}\n  found    ${got.join('\n           ')}`,
      );
  }
  return out.sort();
}
