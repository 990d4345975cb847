import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.ts';
import type { BridgeConfig } from '../../src/config/schema.ts';
import { labelOf, writtenFields } from '../../src/setup/field-specs.ts';

async function example(): Promise<BridgeConfig> {
  const loaded = await loadConfig('config/example.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return loaded.value;
}

const spec = (fields: ReturnType<typeof writtenFields>, object: string, name: string) =>
  fields.find((f) => f.spec.object === object && f.spec.name === name)?.spec;

describe('the fields a config writes, as setup would create them', () => {
  it('types the example config’s fields from their mappings', async () => {
    const config = await example();
    const sf = writtenFields(config, 'sf');
    const hs = writtenFields(config, 'hs');
    // A value map gives the picklist values written to that connection, each once.
    expect(spec(sf, 'Lead', 'Lifecycle_Stage__c')).toMatchObject({
      kind: 'picklist',
      label: 'Lifecycle Stage',
    });
    expect(spec(sf, 'Lead', 'Lifecycle_Stage__c')?.options).toEqual(
      expect.arrayContaining(['Prospect', 'Lead', 'MQL', 'SQL', 'Customer']),
    );
    expect(spec(hs, 'contacts', 'crm_bridge_temperature')).toEqual({
      object: 'contacts',
      name: 'crm_bridge_temperature',
      label: 'Temperature (crm-bridge)',
      kind: 'picklist',
      options: ['hot', 'warm', 'cold'],
    });
    // The policy's lead types, without a value map.
    expect(spec(hs, 'contacts', 'crm_bridge_lead_type')?.options).toEqual([
      'IQL',
      'MQL',
      'SQL',
      'SRL',
      'MSRL',
    ]);
    // The unified type, or the custom field's `type:`.
    expect(spec(sf, 'Contact', 'Budget__c')?.kind).toBe('number');
    expect(spec(hs, 'contacts', 'is_decision_maker')?.kind).toBe('boolean');
    expect(spec(hs, 'contacts', 'crm_bridge_employees')?.kind).toBe('integer');
    expect(spec(hs, 'contacts', 'pain_point')?.kind).toBe('text');
    // Twin ids: unique text of 32 on every object.
    for (const object of ['Lead', 'Contact', 'Account', 'Opportunity'])
      expect(spec(sf, object, 'HubSpot_Id__c')).toMatchObject({ kind: 'text', length: 32, unique: true });
    expect(spec(hs, 'deals', 'crm_bridge_salesforce_id')).toMatchObject({
      kind: 'text',
      length: 32,
      unique: true,
    });
  });

  it('leaves out what is only read, links and the other side of a one-way rule', async () => {
    const config = await example();
    const hs = writtenFields(config, 'hs');
    const sf = writtenFields(config, 'sf');
    expect(spec(hs, 'contacts', 'num_conversion_events')).toBeUndefined(); // rule none
    expect(spec(hs, 'contacts', 'hs_analytics_source')).toBeUndefined(); // one-way:hs->sf
    expect(spec(sf, 'Contact', 'AccountId')).toBeUndefined(); // a link
    expect(spec(sf, 'Lead', 'LeadSource')?.kind).toBe('picklist');
  });

  it('makes a passthrough map free text, and takes a text length from truncate', () => {
    const text = `version: 1
connections:
  sf: { system: salesforce }
  hs: { system: hubspot }
sync: { pair: [sf, hs] }
objects:
  person:
    sf: Lead
    hs: contacts
    fields:
      - { unified: email, sf: Email, hs: email }
      - { unified: salutation, sf: Salutation__c, hs: salutation, values: salutation }
      - { unified: custom.note, sf: Note__c, hs: note, transform: [{ truncate: 80 }] }
valueMaps:
  salutation:
    passthrough: true
    mr: { sf: Mr., hs: Mr. }
`;
    const parsed = parseConfig(text, 'inline.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const sf = writtenFields(parsed.value, 'sf');
    expect(spec(sf, 'Lead', 'Salutation__c')).toEqual({
      object: 'Lead',
      name: 'Salutation__c',
      label: 'Salutation',
      kind: 'text',
    });
    expect(spec(sf, 'Lead', 'Note__c')).toMatchObject({ kind: 'text', length: 80 });
  });

  it.each([
    ['Lead_Score__c', 'Lead Score'],
    ['HubSpot_Id__c', 'HubSpot Id'],
    ['crm_bridge_salesforce_id', 'Salesforce id (crm-bridge)'],
    ['pain_point', 'Pain point'],
  ])('labels %s as %s', (name, label) => {
    expect(labelOf(name)).toBe(label);
  });
});
