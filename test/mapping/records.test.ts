import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledMapping, compileMapping } from '../../src/mapping/index.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';
import { hubspotContact, salesforceContact, salesforceLead } from '../fixtures/external-records.ts';

let mapping: CompiledMapping;
beforeAll(async () => {
  mapping = compileMapping(await exampleConfig());
});

describe('a record that cannot be mapped', () => {
  it('reports every bad field at once, each with its field and value', () => {
    const result = mapping.toUnified('person', 'sf', 'Lead', {
      ...salesforceLead,
      fields: {
        ...salesforceLead.fields,
        Email: 'ada(at)analytical',
        Industry: 'Aerospace',
        NumberOfEmployees: 'two hundred',
      },
    });
    expect(result).toMatchObject({
      ok: false,
      failures: [
        {
          unified: 'email',
          connection: 'sf',
          object: 'Lead',
          external: 'Email',
          value: 'ada(at)analytical',
          reason: 'invalid e-mail',
        },
        {
          unified: 'industry',
          connection: 'sf',
          object: 'Lead',
          external: 'Industry',
          value: 'Aerospace',
          reason: 'unknown value "Aerospace" for value map industry',
        },
        {
          unified: 'employees',
          connection: 'sf',
          object: 'Lead',
          external: 'NumberOfEmployees',
          value: 'two hundred',
          reason: 'expected an integer',
        },
      ],
    });
  });

  it('refuses a missing id and an unreadable modification time', () => {
    const result = mapping.toUnified('person', 'hs', 'contacts', {
      ...hubspotContact,
      id: '',
      modifiedAt: 'last week',
    });
    expect(result.ok === false && result.failures.map((f) => [f.unified, f.external, f.value])).toEqual([
      ['modifiedAt', 'modifiedAt', 'last week'],
      ['sources', 'id', ''],
    ]);
  });

  it('is a failure result outbound too, naming the field it would have written', () => {
    const result = mapping.toExternal('person', 'hs', 'contacts', {
      kind: 'lead',
      email: 'x',
      industry: 'mining',
    });
    expect(
      result.ok === false && result.failures.map((f) => [f.unified, f.external, f.value, f.reason]),
    ).toEqual([
      ['email', 'email', 'x', 'invalid e-mail'],
      ['industry', 'industry', 'mining', 'unknown value "mining" for value map industry'],
    ]);
  });
});

describe('person kind', () => {
  const stage = (lifecyclestage: string) =>
    mapping.toUnified('person', 'hs', 'contacts', { id: '1', fields: { lastname: 'X', lifecyclestage } });

  it('is lead for a Salesforce Lead and contact for a Salesforce Contact', () => {
    expect(mapping.toUnified('person', 'sf', 'Lead', salesforceLead)).toMatchObject({
      value: { kind: 'lead' },
    });
    expect(mapping.toUnified('person', 'sf', 'Contact', salesforceContact)).toMatchObject({
      value: { kind: 'contact' },
    });
  });

  it.each([
    ['subscriber', 'lead'],
    ['lead', 'lead'],
    ['marketingqualifiedlead', 'lead'],
    ['salesqualifiedlead', 'lead'],
    ['opportunity', 'contact'],
    ['customer', 'contact'],
    ['', 'contact'],
  ])('is told by the lifecycle stage for a HubSpot contact: "%s" → %s', (lifecyclestage, kind) => {
    expect(stage(lifecyclestage)).toMatchObject({ ok: true, value: { kind } });
  });
});

describe('reading a record', () => {
  it('keeps where it came from, when it changed and whether it was deleted', () => {
    const result = mapping.toUnified('person', 'sf', 'Contact', { ...salesforceContact, deleted: true });
    expect(result.ok && result.value).toMatchObject({
      sources: { sf: { system: 'salesforce', object: 'Contact', id: '0035e00000GrcHpAAF' } },
      modifiedAt: '2024-05-02T08:15:00.000Z',
      deleted: true,
    });
    expect(result.ok && 'createdAt' in result.value).toBe(false);
  });

  it('leaves unknown what the source did not return, and blank what it returned blank', () => {
    const result = mapping.toUnified('person', 'hs', 'contacts', {
      id: '7',
      fields: { email: 'a@example.com', jobtitle: '' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.failures));
    expect(result.value.title).toBeNull();
    expect('phone' in result.value).toBe(false);
    expect(result.value.custom).toEqual({});
  });

  it('names only the fields mapped for that object to request', () => {
    const contactFields = mapping.fieldsToRead('person', 'sf', 'Contact');
    expect(contactFields).toContain('MailingCity');
    expect(contactFields).toContain('AccountId');
    expect(contactFields).not.toContain('City');
    expect(contactFields).not.toContain('Company');
    expect(mapping.fieldsToRead('account', 'sf', 'Account').filter((f) => f === 'Website')).toHaveLength(1);
  });

  it('throws for an object the config does not map (a caller bug, not a bad record)', () => {
    expect(() => mapping.toUnified('person', 'sf', 'Account', { id: '1', fields: {} })).toThrow(
      /the config maps no person from sf Account/,
    );
  });
});
