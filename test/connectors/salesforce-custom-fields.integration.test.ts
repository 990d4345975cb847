import jsforce from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CustomFieldDefinition,
  EXAMPLE_CUSTOM_FIELDS,
  type SalesforceSandbox,
  type SalesforceSandboxOptions,
  startSalesforceSandbox,
} from '../../sandboxes/salesforce/index.ts';
import { lead } from './salesforce-harness.ts';

type Created = { fullName: string; success: boolean; errors?: { statusCode: string; message: string }[] };

/** A new org's custom fields, seen through a bare jsforce Connection as an admin tool or crm-bridge sees them. */
describe('custom fields in the Salesforce sandbox', () => {
  let sandbox: SalesforceSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  const connect = async (options: SalesforceSandboxOptions = {}) => {
    sandbox = await startSalesforceSandbox(options);
    return new jsforce.Connection({
      instanceUrl: sandbox.url,
      accessToken: sandbox.accessToken,
      version: '62.0',
    });
  };
  const create = async (conn: jsforce.Connection, definitions: readonly CustomFieldDefinition[]) => {
    const results = await conn.metadata.create('CustomField', definitions.map((d) => ({ ...d })) as never);
    return (Array.isArray(results) ? results : [results]) as unknown as Created[];
  };
  /** What an admin tool does after creating fields: a permission set with their field access, assigned to the user. */
  const grant = async (
    conn: jsforce.Connection,
    fields: readonly string[],
    readOnly: readonly string[] = [],
  ) => {
    const fieldPermissions = [
      ...fields.map((field) => ({ field, readable: true, editable: true })),
      ...readOnly.map((field) => ({ field, readable: true, editable: false })),
    ];
    const [created] = await conn.metadata.create('PermissionSet', [
      { fullName: 'Crm_Bridge', label: 'crm-bridge', fieldPermissions },
    ] as never);
    expect(created).toMatchObject({ fullName: 'Crm_Bridge', success: true });
    const user = await conn.query<{ Id: string }>(
      `SELECT Id FROM User WHERE Username = 'admin@sandbox.example.com'`,
    );
    const set = await conn.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Crm_Bridge'");
    const [assigned] = await conn
      .sobject('PermissionSetAssignment')
      .create([{ AssigneeId: user.records[0]?.Id, PermissionSetId: set.records[0]?.Id }]);
    expect(assigned?.success).toBe(true);
  };

  it('has none in a new org: describe lists none, and a query or a write naming one fails', async () => {
    const conn = await connect();
    for (const object of ['Lead', 'Contact', 'Account', 'Opportunity']) {
      const names = (await conn.describe(object)).fields.map((f) => f.name);
      expect(
        names.filter((n) => n.endsWith('__c')),
        object,
      ).toEqual([]);
    }
    await expect(conn.query('SELECT Id, Lead_Score__c FROM Lead')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      data: { message: expect.stringMatching(/^No such column 'Lead_Score__c' on entity 'Lead'\. /) },
    });
    // One unknown column fails the whole collection, the valid record with it.
    await expect(
      conn.sobject('Lead').create([lead(1), { ...lead(2), Lead_Score__c: 10 }], { allOrNone: false }),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      data: { message: "No such column 'Lead_Score__c' on sobject of type Lead" },
    });
    expect(sandbox?.count('Lead')).toBe(0);
    expect(() => sandbox?.seed('Lead', [{ ...lead(3), Budget__c: 1 }])).toThrow(
      'the sandbox has no field Lead.Budget__c',
    );
    sandbox?.seedOrg({ leads: 3, contacts: 2 });
    expect(sandbox?.count('Lead')).toBe(3);
  });

  it('creates the example fields through the Metadata API, at most 10 per call, with their types', async () => {
    const conn = await connect();
    const results = [];
    for (let i = 0; i < EXAMPLE_CUSTOM_FIELDS.length; i += 10)
      results.push(...(await create(conn, EXAMPLE_CUSTOM_FIELDS.slice(i, i + 10))));
    expect(results.map((r) => [r.fullName, r.success])).toEqual(
      EXAMPLE_CUSTOM_FIELDS.map((d) => [d.fullName, true]),
    );
    // Created, but no one may see them yet: field-level security grants nothing to a field made this way.
    expect((await conn.describe('Lead')).fields.some((f) => f.name.endsWith('__c'))).toBe(false);
    await expect(conn.query('SELECT Lead_Score__c FROM Lead')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    const names = EXAMPLE_CUSTOM_FIELDS.map((d) => d.fullName);
    await grant(
      conn,
      names.filter((n) => n !== 'Contact.Pain_Point__c'),
      ['Contact.Pain_Point__c'],
    );
    const fields = new Map((await conn.describe('Contact')).fields.map((f) => [f.name, f]));
    expect(fields.get('Pain_Point__c')).toMatchObject({ createable: false, updateable: false });
    const [readOnly] = await conn
      .sobject('Contact')
      .create([{ LastName: 'Hopper', Pain_Point__c: 'Spreadsheets' }]);
    expect(readOnly?.errors).toMatchObject([{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' }]);
    expect(fields.get('Lead_Score__c')).toMatchObject({
      type: 'double',
      precision: 18,
      scale: 0,
      custom: true,
    });
    expect(fields.get('Budget__c')).toMatchObject({ type: 'currency', precision: 18, scale: 2 });
    expect(fields.get('Is_Decision_Maker__c')).toMatchObject({
      type: 'boolean',
      nillable: false,
      defaultedOnCreate: true,
      defaultValue: false,
    });
    expect((await conn.describe('Lead')).fields.find((f) => f.name === 'Pain_Point__c')).toMatchObject({
      type: 'string',
      length: 255,
      nillable: true,
      createable: true,
    });
    expect(fields.get('Lead_Type__c')?.picklistValues?.map((p) => p.value)).toEqual([
      'IQL',
      'MQL',
      'SQL',
      'SRL',
      'MSRL',
    ]);

    const [saved, refused, tooLarge] = await conn.sobject('Lead').create([
      { ...lead(1), Lead_Score__c: 42, Lifecycle_Stage__c: 'MQL' },
      { ...lead(2), Lifecycle_Stage__c: 'Marketing Qualified' },
      { ...lead(3), Budget__c: 1e16 },
    ]);
    expect(saved?.success).toBe(true);
    expect(refused?.errors).toMatchObject([{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }]);
    expect(tooLarge?.errors).toMatchObject([
      { statusCode: 'NUMBER_OUTSIDE_VALID_RANGE', fields: ['Budget__c'] },
    ]);
    const read = await conn.query<Record<string, unknown>>(
      'SELECT Lead_Score__c, Is_Decision_Maker__c FROM Lead',
    );
    expect(read.records.map(({ attributes: _, ...r }) => r)).toEqual([
      { Lead_Score__c: 42, Is_Decision_Maker__c: false },
    ]);

    const eleven = Array.from({ length: 11 }, (_, i) => ({
      fullName: `Account.Extra_${i}__c`,
      label: `Extra ${i}`,
      type: 'Text' as const,
      length: 10,
    }));
    await expect(create(conn, eleven)).rejects.toMatchObject({ errorCode: 'sf:EXCEEDED_ID_LIMIT' });
    expect((await conn.describe('Account')).fields.some((f) => f.name.startsWith('Extra_'))).toBe(false);
  });

  it('refuses a definition the Metadata API refuses, and creates the valid ones of the same call', async () => {
    const conn = await connect();
    const results = await create(conn, [
      { fullName: 'Lead.Notes__c', label: 'Notes', type: 'Text' },
      { fullName: 'Lead.Flag__c', label: 'Flag', type: 'Checkbox' },
      { fullName: 'Lead.Tier__c', label: 'Tier', type: 'Picklist' },
      { fullName: 'Lead.Score__c', label: 'Score', type: 'Number', precision: 18, scale: 19 },
      { fullName: 'Lead.Key__c', label: 'Key', type: 'Checkbox', defaultValue: 'false', externalId: true },
      { fullName: 'Lead.Bad__Name__c', label: 'Bad', type: 'Text', length: 10 },
      { fullName: 'Widget.Size__c', label: 'Size', type: 'Text', length: 10 },
      { fullName: 'Lead.Company__c', label: 'Company', type: 'Text', length: 10 },
      { fullName: 'Lead.External_Id__c', label: 'External Id', type: 'Text', length: 80, externalId: true },
      { fullName: 'Lead.Company__c', label: 'Company again', type: 'Text', length: 10 },
    ]);
    expect(results.map((r) => (r.success ? 'ok' : (r.errors?.[0]?.statusCode ?? '?')))).toEqual([
      'FIELD_INTEGRITY_EXCEPTION',
      'FIELD_INTEGRITY_EXCEPTION',
      'FIELD_INTEGRITY_EXCEPTION',
      'FIELD_INTEGRITY_EXCEPTION',
      'FIELD_INTEGRITY_EXCEPTION',
      'FIELD_INTEGRITY_EXCEPTION',
      'INVALID_CROSS_REFERENCE_KEY',
      'ok',
      'ok',
      'DUPLICATE_DEVELOPER_NAME',
    ]);
    expect(results[0]?.errors?.[0]?.message).toBe('Notes: Length: You must enter a value');
    expect(results[9]?.errors?.[0]?.message).toBe('There is already a field named Company on Lead.');
    await grant(conn, ['Lead.Company__c', 'Lead.External_Id__c']);
    const described = (await conn.describe('Lead')).fields.filter((f) => f.name.endsWith('__c'));
    expect(described.map((f) => [f.name, f.externalId])).toEqual([
      ['Company__c', false],
      ['External_Id__c', true],
    ]);
  });

  it('starts with the custom fields a test gives, maps them from Lead to Contact, and creates more on demand', async () => {
    const conn = await connect({ customFields: EXAMPLE_CUSTOM_FIELDS });
    const [created] = await conn
      .sobject('Lead')
      .create([{ ...lead(1), Lifecycle_Stage__c: 'SQL', Pain_Point__c: 'Spreadsheets' }]);
    const converted = await conn.soap.convertLead({
      leadId: created?.id as string,
      convertedStatus: 'Closed - Converted',
      doNotCreateOpportunity: true,
    } as never);
    const contactId = (converted as unknown as { contactId: string }).contactId;
    expect(sandbox?.read('Contact', contactId)).toMatchObject({
      Lifecycle_Stage__c: 'SQL',
      Pain_Point__c: 'Spreadsheets',
      Is_Decision_Maker__c: false,
    });
    sandbox?.createCustomFields([{ fullName: 'Account.Tier__c', label: 'Tier', type: 'Text', length: 20 }]);
    const [account] = await conn.sobject('Account').create([{ Name: 'Acme', Tier__c: 'Gold' }]);
    expect(account?.success).toBe(true);
    expect(() =>
      sandbox?.createCustomFields([{ fullName: 'Account.Tier__c', label: 'Tier', type: 'Date' }]),
    ).toThrow(/There is already a field named Tier on Account/);
  });

  it('grants field access only through a permission set the Metadata API accepts, assigned once', async () => {
    const conn = await connect();
    await create(conn, [{ fullName: 'Lead.Tier__c', label: 'Tier', type: 'Text', length: 20 }]);
    const sets = (await conn.metadata.create('PermissionSet', [
      {
        fullName: 'Typo',
        label: 'Typo',
        fieldPermissions: [{ field: 'Lead.Teir__c', readable: true, editable: true }],
      },
      {
        fullName: 'Edit_Only',
        label: 'Edit only',
        fieldPermissions: [{ field: 'Lead.Tier__c', readable: false, editable: true }],
      },
      { fullName: 'Bad__Name', label: 'Bad' },
      {
        fullName: 'Tiers',
        label: 'Tiers',
        fieldPermissions: [{ field: 'Lead.Tier__c', readable: true, editable: true }],
      },
      { fullName: 'Tiers', label: 'Tiers again' },
    ] as never)) as unknown as Created[];
    expect(sets.map((r) => (r.success ? 'ok' : r.errors?.[0]?.statusCode))).toEqual([
      'INVALID_CROSS_REFERENCE_KEY',
      'FIELD_INTEGRITY_EXCEPTION',
      'FIELD_INTEGRITY_EXCEPTION',
      'ok',
      'DUPLICATE_DEVELOPER_NAME',
    ]);
    const [made] = await conn.sobject('PermissionSet').create([{ Name: 'Rest_Made', Label: 'REST' }]);
    expect(made?.errors).toMatchObject([{ statusCode: 'INVALID_TYPE_FOR_OPERATION' }]);
    const [setId] = (await conn.query<{ Id: string }>('SELECT Id FROM PermissionSet')).records.map(
      (r) => r.Id,
    );
    const assignment = { AssigneeId: '005000000000001AAA', PermissionSetId: setId };
    const [first, again] = await conn.sobject('PermissionSetAssignment').create([assignment, assignment]);
    expect(first?.success).toBe(true);
    expect(again?.errors).toMatchObject([{ statusCode: 'DUPLICATE_VALUE' }]);
    const [saved] = await conn.sobject('Lead').create([{ ...lead(1), Tier__c: 'Gold' }]);
    expect(saved?.success).toBe(true);
    await expect(
      conn.metadata.create('CustomField', [
        { fullName: 'Lead.A__c', label: 'A', type: 'Text', length: 5 },
        { '@xsi:type': 'PermissionSet', fullName: 'P', label: 'P' },
      ] as never),
    ).rejects.toMatchObject({ errorCode: 'sf:INVALID_TYPE' });
  });
});
