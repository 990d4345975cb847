import { beforeAll, describe, expect, it } from 'vitest';
import type { BridgeConfig } from '../../src/config/schema.ts';
import { type CompiledMapping, compileMapping, type ExternalRecord } from '../../src/mapping/index.ts';
import type { EntityName } from '../../src/model/index.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';
import {
  hubspotCompany,
  hubspotContact,
  hubspotDeal,
  salesforceAccount,
  salesforceContact,
  salesforceLead,
  salesforceOpportunity,
} from '../fixtures/external-records.ts';

let mapping: CompiledMapping;
let config: BridgeConfig;
beforeAll(async () => {
  config = await exampleConfig();
  mapping = compileMapping(config);
});

interface Trip {
  readonly entity: EntityName;
  readonly connection: 'sf' | 'hs';
  readonly object: string;
  readonly record: ExternalRecord;
  /** Fields read but, by their rule, never written back to this connection. */
  readonly readOnly: readonly string[];
}

const HUBSPOT_CONTACT_READ_ONLY = [
  'hs_email_domain',
  'hs_analytics_source',
  'first_conversion_event_name',
  'recent_conversion_event_name',
  'num_conversion_events',
  'hs_analytics_num_page_views',
  'hs_last_sales_activity_timestamp',
];

const trips: Record<string, Trip> = {
  'a Salesforce Lead': {
    entity: 'person',
    connection: 'sf',
    object: 'Lead',
    record: salesforceLead,
    readOnly: [],
  },
  'a Salesforce Contact': {
    entity: 'person',
    connection: 'sf',
    object: 'Contact',
    record: salesforceContact,
    readOnly: [],
  },
  'a HubSpot contact': {
    entity: 'person',
    connection: 'hs',
    object: 'contacts',
    record: hubspotContact,
    readOnly: HUBSPOT_CONTACT_READ_ONLY,
  },
  'a Salesforce Account': {
    entity: 'account',
    connection: 'sf',
    object: 'Account',
    record: salesforceAccount,
    readOnly: [],
  },
  'a HubSpot company': {
    entity: 'account',
    connection: 'hs',
    object: 'companies',
    record: hubspotCompany,
    readOnly: [],
  },
  'a Salesforce Opportunity': {
    entity: 'opportunity',
    connection: 'sf',
    object: 'Opportunity',
    record: salesforceOpportunity,
    readOnly: ['IsClosed', 'IsWon'],
  },
  'a HubSpot deal': {
    entity: 'opportunity',
    connection: 'hs',
    object: 'deals',
    record: hubspotDeal,
    readOnly: ['hs_is_closed', 'hs_is_closed_won'],
  },
};

describe('config/example.yaml round trip: external → unified → external', () => {
  it.each(Object.entries(trips))('keeps every field written back of %s', (_, trip) => {
    const { entity, connection, object, record, readOnly } = trip;
    // The fixture holds every field the config maps for the object, so the round trip covers them all (the twin
    // id is read too, and written by the sync engine, not the mapping).
    const twin = config.objects[entity]?.twinId?.[connection];
    expect(new Set(mapping.fieldsToRead(entity, connection, object).filter((f) => f !== twin))).toEqual(
      new Set(Object.keys(record.fields)),
    );

    const unified = mapping.toUnified(entity, connection, object, record);
    if (!unified.ok) throw new Error(JSON.stringify(unified.failures, null, 2));
    const back = mapping.toExternal(entity, connection, object, unified.value);
    if (!back.ok) throw new Error(JSON.stringify(back.failures, null, 2));

    const expected = Object.fromEntries(
      Object.entries(record.fields).filter(([name]) => !readOnly.includes(name)),
    );
    expect(back.value).toEqual(expected);
  });
});

describe('config/example.yaml, reading', () => {
  it('reads a Salesforce Lead into the unified person', () => {
    const result = mapping.toUnified('person', 'sf', 'Lead', salesforceLead);
    expect(result.ok && result.value).toMatchObject({
      kind: 'lead',
      sources: { sf: { system: 'salesforce', object: 'Lead', id: '00Q5e00000AdaLvAAB' } },
      createdAt: '2024-03-02T09:30:00.000Z',
      modifiedAt: '2024-05-01T12:00:00.000Z',
      email: 'ada.lovelace@analytical.example.com',
      company: 'Analytical Engines Ltd',
      address: { street: '12 St James Square', city: 'London', state: null, country: 'United Kingdom' },
      industry: 'technology',
      employees: 250,
      leadSource: 'web',
      leadStatus: 'working',
      lifecycleStage: 'mql',
      temperature: 'hot',
      score: 87,
      custom: {
        budget: 50000,
        authority: true,
        need: 'duplicate records',
        timeline: 'this quarter',
      },
    });
  });

  it('reads a HubSpot contact, its company link and its marketing facts', () => {
    const result = mapping.toUnified('person', 'hs', 'contacts', hubspotContact);
    expect(result.ok && result.value).toMatchObject({
      kind: 'lead',
      sources: { hs: { system: 'hubspot', object: 'contacts', id: '51' } },
      modifiedAt: '2024-05-01T12:00:00.000Z',
      mobilePhone: null,
      domain: 'bletchley.example.org',
      industry: 'technology',
      leadSource: 'web',
      lifecycleStage: 'sql',
      conversionCount: 3,
      pageViews: 57,
      lastActivityAt: '2024-04-30T09:15:00.000Z',
      account: { refs: { hs: '9876543210' } },
      custom: { budget: 75000, authority: true },
    });
  });

  it('derives an account domain from the Salesforce website and writes it only to HubSpot', () => {
    const result = mapping.toUnified('account', 'sf', 'Account', salesforceAccount);
    if (!result.ok) throw new Error(JSON.stringify(result.failures));
    expect(result.value).toMatchObject({
      domain: 'acme.example.com',
      website: 'https://www.acme.example.com',
    });
    // A new portal has no customer company type: the type is left out and reported, the rest is written.
    const written = mapping.toExternal('account', 'hs', 'companies', result.value);
    expect(written).toMatchObject({
      ok: false,
      failures: [{ unified: 'type', value: 'customer', hold: false }],
      value: { domain: 'acme.example.com', website: 'https://www.acme.example.com' },
    });
    expect(written.value).not.toHaveProperty('type');
  });

  it('translates a Salesforce Opportunity for HubSpot, with the default pipeline', () => {
    const result = mapping.toUnified('opportunity', 'sf', 'Opportunity', salesforceOpportunity);
    if (!result.ok) throw new Error(JSON.stringify(result.failures));
    expect(result.value).toMatchObject({
      stage: 'proposal',
      type: 'existingBusiness',
      closeDate: '2024-09-30',
    });
    expect(mapping.toExternal('opportunity', 'hs', 'deals', result.value)).toEqual({
      ok: true,
      value: {
        dealname: 'Acme - rocket skates renewal',
        amount: '125000',
        closedate: '2024-09-30',
        dealstage: 'contractsent',
        pipeline: 'default',
        dealtype: 'existingbusiness',
        hs_next_step: 'Send the revised quote',
        description: 'Three-year renewal with volume discount.',
      },
    });
  });
});
