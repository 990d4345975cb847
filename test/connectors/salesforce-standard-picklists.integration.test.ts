import jsforce from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import {
  INDUSTRIES,
  SALESFORCE_STANDARD_PICKLISTS,
  STANDARD_PICKLIST_DEFAULTS,
  type StandardPicklist,
} from '../../connectors/salesforce/standard-picklists.ts';
import {
  OrgSchema,
  type SalesforceSandbox,
  SeedGenerator,
  startSalesforceSandbox,
} from '../../sandboxes/salesforce/index.ts';
import { lead } from './salesforce-harness.ts';

interface PicklistEntry {
  active: boolean;
  defaultValue: boolean;
  label: string | null;
  value: string;
}

/** The sandbox's picklists, as a new org's describe lists them to a bare jsforce client. */
describe('the Salesforce sandbox standard picklists', () => {
  let sandbox: SalesforceSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  const connect = async (options: Parameters<typeof startSalesforceSandbox>[0] = {}) => {
    sandbox = await startSalesforceSandbox(options);
    return new jsforce.Connection({
      instanceUrl: sandbox.url,
      accessToken: sandbox.accessToken,
      version: '62.0',
    });
  };

  it('describes every standard picklist with exactly the values of a new org, and its default', async () => {
    const conn = await connect();
    expect(INDUSTRIES).toHaveLength(32);
    for (const [name, values] of Object.entries(SALESFORCE_STANDARD_PICKLISTS)) {
      const [object, fieldName] = name.split('.') as [string, string];
      const field = (await conn.describe(object)).fields.find((f) => f.name === fieldName);
      expect(field?.type, name).toBe('picklist');
      const entries = field?.picklistValues as PicklistEntry[];
      const fallback = STANDARD_PICKLIST_DEFAULTS[name as StandardPicklist];
      expect(
        entries.map(({ active, defaultValue, label, value }) => ({ active, defaultValue, label, value })),
        name,
      ).toEqual(
        values.map((value) => ({ active: true, defaultValue: value === fallback, label: value, value })),
      );
    }
  });

  it('gives a new lead the default status, and refuses a value a new org does not have', async () => {
    const conn = await connect();
    const [created, unknown] = await conn.sobject('Lead').create([
      { ...lead(1), LeadSource: 'Purchased List', Industry: 'Food & Beverage', Salutation: 'Mx.' },
      { ...lead(2), LeadSource: 'Email' },
    ]);
    expect(created?.success).toBe(true);
    expect(sandbox?.read('Lead', created?.id as string)?.Status).toBe('Open - Not Contacted');
    expect(unknown?.errors).toMatchObject([
      { statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['LeadSource'] },
    ]);
  });

  it('seeds records using every standard value when asked, and the familiar values by default', async () => {
    const conn = await connect({ seedValues: 'all-standard' });
    sandbox?.seedOrg({ leads: 40, accounts: 32, contacts: 6, opportunities: 10 });
    const seen = async (object: string, field: string) => {
      const result = await conn.query<Record<string, string>>(`SELECT ${field} FROM ${object}`);
      return new Set(result.records.map((r) => r[field]));
    };
    for (const [name, values] of Object.entries(SALESFORCE_STANDARD_PICKLISTS)) {
      const [object, field] = name.split('.') as [string, string];
      const used = await seen(object, field);
      const expected = name === 'Lead.Status' ? values.filter((v) => v !== 'Closed - Converted') : values;
      expect([...used].sort(), name).toEqual([...expected].sort());
    }
    const familiar = new SeedGenerator(1);
    const sources = new Set(familiar.leads(200).map((r) => r.LeadSource));
    expect([...sources].sort()).toEqual(
      ['Email', 'Partner Referral', 'Phone Inquiry', 'Purchased List', 'Social', 'Web'].sort(),
    );
  });

  it('has the values an admin added to a standard picklist, and no such values on a field that is none', async () => {
    const conn = await connect({ picklistValues: { 'Lead.LeadSource': ['Webinar', 'Web'] } });
    const field = (await conn.describe('Lead')).fields.find((f) => f.name === 'LeadSource');
    expect(field?.picklistValues?.map((p) => p.value)).toEqual([
      'Web',
      'Phone Inquiry',
      'Partner Referral',
      'Purchased List',
      'Other',
      'Webinar',
    ]);
    const [created] = await conn.sobject('Lead').create([{ ...lead(1), LeadSource: 'Webinar' }]);
    expect(created?.success).toBe(true);
    const [contact] = await conn.sobject('Contact').create([{ LastName: 'Hopper', LeadSource: 'Webinar' }]);
    expect(contact?.errors).toMatchObject([{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }]);
    expect(() => new OrgSchema({ picklistValues: { 'Lead.Company': ['Acme'] } })).toThrow(
      'Lead.Company is no picklist',
    );
  });
});
