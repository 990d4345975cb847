import jsforce from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { type SalesforceRig, startRig } from './salesforce-harness.ts';

/** The fields a create must fill in a new org, as Salesforce's describe reports them. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  Lead: ['LastName', 'Company'],
  Contact: ['LastName'],
  Account: ['Name'],
  Opportunity: ['Name', 'CloseDate', 'StageName'],
};

describe('required fields in the Salesforce sandbox', () => {
  let sandbox: SalesforceSandbox | undefined;
  let rig: SalesforceRig | undefined;
  afterEach(async () => {
    await sandbox?.close();
    await rig?.close();
    sandbox = undefined;
    rig = undefined;
  });

  it('describes them as not nillable, createable and not defaulted on create', async () => {
    sandbox = await startSalesforceSandbox();
    const conn = new jsforce.Connection({
      instanceUrl: sandbox.url,
      accessToken: sandbox.accessToken,
      version: '62.0',
    });
    for (const [object, names] of Object.entries(REQUIRED)) {
      const fields = (await conn.describe(object)).fields;
      for (const name of names) {
        expect(
          fields.find((f) => f.name === name),
          `${object}.${name}`,
        ).toMatchObject({ nillable: false, createable: true, defaultedOnCreate: false });
      }
    }
  });

  it('refuses a create without one, naming what is missing, and an update that blanks one', async () => {
    sandbox = await startSalesforceSandbox();
    const conn = new jsforce.Connection({
      instanceUrl: sandbox.url,
      accessToken: sandbox.accessToken,
      version: '62.0',
    });
    const missing = async (object: string, record: Record<string, unknown>) => {
      const [result] = await conn.sobject(object).create([record]);
      // Collections say statusCode, whatever jsforce's type says.
      const code = (e: object) => (e as { statusCode?: string }).statusCode;
      return result?.success ? 'created' : result?.errors.map((e) => `${code(e)}: ${e.message}`);
    };
    expect(await missing('Opportunity', { Name: 'Deal', StageName: 'Prospecting' })).toEqual([
      'REQUIRED_FIELD_MISSING: Required fields are missing: [CloseDate]',
    ]);
    expect(await missing('Opportunity', { Amount: 10 })).toEqual([
      'REQUIRED_FIELD_MISSING: Required fields are missing: [Name, CloseDate, StageName]',
    ]);
    expect(await missing('Lead', { LastName: 'Hopper', Company: '' })).toEqual([
      'REQUIRED_FIELD_MISSING: Required fields are missing: [Company]',
    ]);
    expect(await missing('Contact', { FirstName: 'Grace' })).toEqual([
      'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]',
    ]);
    expect(await missing('Account', { Website: 'https://acme.example.com' })).toEqual([
      'REQUIRED_FIELD_MISSING: Required fields are missing: [Name]',
    ]);
    expect(
      await missing('Opportunity', { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2027-01-31' }),
    ).toBe('created');
    const [account] = sandbox.seed('Account', [{ Name: 'Acme' }]);
    const [blanked] = await conn.sobject('Account').update([{ Id: account as string, Name: null }]);
    expect(blanked?.errors).toMatchObject([{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }]);
  });

  it('reaches the connector as required fields of its schema', async () => {
    rig = await startRig();
    for (const [object, names] of Object.entries(REQUIRED)) {
      const schema = await rig.connector.describe(object);
      const required = schema.fields.filter((f) => f.required).map((f) => f.name);
      // Lead Status is not nillable either, but a new lead gets its default value.
      expect(required.sort(), object).toEqual([...names].sort());
    }
  });
});
