import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@hubspot/api-client';
import jsforce from 'jsforce';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { sandboxEnv } from '../../sandboxes/env.ts';
import { HubSpotSandbox, SANDBOX_TOKEN } from '../../sandboxes/hubspot/index.ts';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';

const CONFIG = 'config/example.yaml';

/** Runs `crm-bridge setup` with the given flags against the sandboxes the environment points at. */
async function setup(...flags: string[]) {
  const output = captureOutput();
  const code = await main(['node', 'crm-bridge', 'setup', '--config', CONFIG, ...flags], output);
  return { code, stdout: output.stdout, stderr: output.stderr };
}

/** Both sandboxes as a new org and a new portal (no custom field), and the environment pointing at them. */
async function newOrgAndPortal(
  options: { metadataAccess?: boolean; hubspotBudgetAsText?: boolean; schemaWrite?: boolean } = {},
) {
  const sf = await startSalesforceSandbox({
    seed: 7,
    ...(options.metadataAccess === false ? { metadataAccess: false } : {}),
  });
  const hs = await HubSpotSandbox.start({
    seed: 7,
    limits: { perWindow: 10_000, searchPerSecond: 1000 },
    ...(options.schemaWrite === false ? { schemaWrite: false } : {}),
    // A portal whose admin once made a text property named like one the example writes numbers to.
    ...(options.hubspotBudgetAsText
      ? {
          customProperties: {
            contacts: [
              {
                name: 'budget',
                label: 'Budget',
                type: 'string',
                fieldType: 'text',
                groupName: 'contactinformation',
              },
            ],
          },
        }
      : {}),
  });
  return { sf, hs };
}

describe('crm-bridge setup on a new org and a new portal', () => {
  let sf: SalesforceSandbox;
  let hs: HubSpotSandbox;
  let db: TestDatabase;
  let saved: NodeJS.ProcessEnv;
  const conn = () =>
    new jsforce.Connection({ instanceUrl: sf.url, accessToken: sf.accessToken, version: '62.0' });
  const hubspot = () => new Client({ accessToken: SANDBOX_TOKEN, basePath: hs.url });

  beforeAll(async () => {
    ({ sf, hs } = await newOrgAndPortal());
    db = sqliteDatabase();
    saved = { ...process.env };
    Object.assign(process.env, { ...sandboxEnv(sf, hs), DATABASE_URL: db.url });
  });
  afterAll(async () => {
    process.env = saved;
    await Promise.all([sf?.close(), hs?.close()]);
    await db?.drop();
  });

  it('lists in a dry run what it would create, with types, lengths and values, and creates nothing', async () => {
    const run = await setup();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sf \(salesforce\): \d+ fields to create$/m);
    expect(run.stdout).toMatch(
      /^ {2}Lead\.HubSpot_Id__c {2}Text\(32\) External ID, Unique {2}\(config\/example\.yaml:\d+:\d+\)$/m,
    );
    expect(run.stdout).toMatch(/^ {2}Contact\.Lead_Type__c {2}Picklist: IQL, MQL, SQL, SRL, MSRL /m);
    expect(run.stdout).toMatch(/^ {2}Lead\.Is_Decision_Maker__c {2}Checkbox \(unchecked by default\) /m);
    expect(run.stdout).toMatch(/^ {2}then permission set crm_bridge: read and edit/m);
    expect(run.stdout).toMatch(/^hs \(hubspot\): \d+ properties to create$/m);
    expect(run.stdout).toMatch(
      /^ {2}contacts\.crm_bridge_temperature {2}enumeration\/select: hot, warm, cold /m,
    );
    expect(run.stdout).toMatch(/^ {2}deals\.crm_bridge_salesforce_id {2}string\/text, unique values /m);
    expect(run.stdout).toMatch(/^dry run: nothing was created; run crm-bridge setup --apply/m);
    expect(sf.calls('metadata')).toBe(0);
    expect(hs.calls('POST /crm/v3/properties')).toBe(0);
    const lead = await conn().describe('Lead');
    expect(lead.fields.some((f) => f.name.endsWith('__c'))).toBe(false);
  });

  it('creates them with --apply, writable by the API user, and a second --apply creates nothing', async () => {
    const dry = await setup('--json');
    const plan = JSON.parse(dry.stdout) as {
      plan: { connections: { connection: string; create: unknown[] }[] };
    };
    const planned = Object.fromEntries(plan.plan.connections.map((c) => [c.connection, c.create.length]));

    const first = await setup('--apply');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`sf (salesforce): created ${planned.sf} fields`);
    expect(first.stdout).toContain(`hs (hubspot): created ${planned.hs} properties`);
    expect(first.stdout).toMatch(/then created the permission set crm_bridge: read and edit on \d+ fields/);
    expect(first.stdout).toContain('then assigned it to the API user admin@sandbox.example.com');
    expect(first.stdout).toContain(
      'then created the property group crm_bridge on contacts, companies, deals',
    );

    // Describe, as the sync sees it: every field there and writable, the twin id an external id.
    const describe = await conn().describe('Lead');
    const byName = new Map(describe.fields.map((f) => [f.name, f]));
    for (const name of [
      'Lead_Type__c',
      'Lead_Score__c',
      'Lifecycle_Stage__c',
      'HubSpot_Id__c',
      'Budget__c',
    ]) {
      expect(byName.get(name)?.updateable, name).toBe(true);
      expect(byName.get(name)?.createable, name).toBe(true);
    }
    expect(byName.get('HubSpot_Id__c')).toMatchObject({
      type: 'string',
      length: 32,
      externalId: true,
      unique: true,
    });
    expect(byName.get('Lead_Type__c')?.picklistValues?.map((v) => v.value)).toEqual([
      'IQL',
      'MQL',
      'SQL',
      'SRL',
      'MSRL',
    ]);
    const temperature = await hubspot().crm.properties.coreApi.getByName(
      'contacts',
      'crm_bridge_temperature',
    );
    expect(temperature).toMatchObject({ type: 'enumeration', fieldType: 'select', groupName: 'crm_bridge' });
    expect(temperature.options.map((o) => o.value)).toEqual(['hot', 'warm', 'cold']);
    const twin = await hubspot().crm.properties.coreApi.getByName('deals', 'crm_bridge_salesforce_id');
    expect(twin.hasUniqueValue).toBe(true);

    const metadataCalls = sf.calls('metadata');
    const propertyCalls = hs.calls('POST /crm/v3/properties');
    expect(propertyCalls).toBe(planned.hs);
    const second = await setup('--apply');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      'sf (salesforce): nothing to create, every field the config writes is there',
    );
    expect(second.stdout).toContain(
      'hs (hubspot): nothing to create, every property the config writes is there',
    );
    expect(second.stdout).toContain('nothing created: both CRMs already have every field');
    expect(sf.calls('metadata')).toBe(metadataCalls);
    expect(hs.calls('POST /crm/v3/properties')).toBe(propertyCalls);

    const check = captureOutput();
    expect(await main(['node', 'crm-bridge', 'check', '--config', CONFIG], check)).toBe(0);
    expect(check.stderr).not.toContain('no such field');
  });

  it('creates a field the config maps later, and grants it through the permission set already assigned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-setup-'));
    try {
      const file = join(dir, 'crm-bridge.yaml');
      const text = readFileSync(CONFIG, 'utf8')
        .replace(
          /^( +)- \{ unified: custom\.timeline, .*$/m,
          (line, indent: string) =>
            `${line}\n${indent}- { unified: custom.region, sf: Region__c, hs: crm_bridge_region }`,
        )
        .replace(/^policy: .*$/m, `policy: ${resolve('config/policy.default.yaml')}`);
      writeFileSync(file, text);
      const output = captureOutput();
      const code = await main(['node', 'crm-bridge', 'setup', '--apply', '--config', file], output);
      expect(output.stderr).toBe('');
      expect(code).toBe(0);
      expect(output.stdout).toContain(
        'sf (salesforce): created 2 fields\n  Lead.Region__c  Text(255)\n  Contact.Region__c  Text(255)\n',
      );
      expect(output.stdout).toMatch(
        /then updated the permission set crm_bridge: read and edit on \d+ fields/,
      );
      expect(output.stdout).toContain('then it is assigned to the API user admin@sandbox.example.com');
      expect(output.stdout).toContain(
        'hs (hubspot): created 1 property\n  contacts.crm_bridge_region  string/text\n',
      );
      const region = (await conn().describe('Contact')).fields.find((f) => f.name === 'Region__c');
      expect(region).toMatchObject({ type: 'string', length: 255, updateable: true, createable: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('crm-bridge setup where it cannot do everything', () => {
  let sf: SalesforceSandbox | undefined;
  let hs: HubSpotSandbox | undefined;
  let db: TestDatabase;
  let saved: NodeJS.ProcessEnv;

  beforeAll(() => {
    db = sqliteDatabase();
    saved = { ...process.env };
  });
  afterEach(async () => {
    process.env = { ...saved };
    await Promise.all([sf?.close(), hs?.close()]);
  });
  afterAll(async () => {
    process.env = saved;
    await db?.drop();
  });

  it('says the API user may not use the Metadata API, and what to give it', async () => {
    ({ sf, hs } = await newOrgAndPortal({ metadataAccess: false }));
    Object.assign(process.env, { ...sandboxEnv(sf, hs), DATABASE_URL: db.url });
    const run = await setup('--apply');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: sf \(salesforce\): Salesforce does not let the API user change the org's setup \(INSUFFICIENT_ACCESS\): .*ModifyAllData or ModifyMetadata.*; fix: give the integration user the "Modify Metadata Through Metadata API Functions" or "Customize Application" permission/m,
    );
    expect(run.stderr).not.toContain(sf.accessToken);
    expect(run.stdout).not.toContain('both CRMs now have');
    // HubSpot is set up all the same; Salesforce still lacks its fields.
    expect(run.stdout).toMatch(/^hs \(hubspot\): created \d+ properties$/m);
    expect((await setup()).stdout).toMatch(/^sf \(salesforce\): \d+ fields to create$/m);
  });

  it('says the HubSpot app lacks the scopes to create properties, and which', async () => {
    ({ sf, hs } = await newOrgAndPortal({ schemaWrite: false }));
    Object.assign(process.env, { ...sandboxEnv(sf, hs), DATABASE_URL: db.url });
    const run = await setup('--apply');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: hs \(hubspot\): HubSpot refused to create properties: .*; fix: give the private app \(or OAuth app\) the crm\.schemas\.contacts\.write, crm\.schemas\.companies\.write and crm\.schemas\.deals\.write scopes/m,
    );
    expect(run.stdout).toMatch(/^hs \(hubspot\): created no properties$/m);
    expect(run.stdout).toMatch(/^some fields were not created or cannot be written yet: see the errors/m);
    expect(run.stdout).toMatch(/^sf \(salesforce\): created \d+ fields$/m);
    // One refused call, not one per property.
    expect(hs.calls('POST /crm/v3/properties/groups')).toBe(1);
    expect(hs.calls('POST /crm/v3/properties')).toBe(0);
  });

  it('names a field that exists with another type and leaves it as it is', async () => {
    ({ sf, hs } = await newOrgAndPortal({ hubspotBudgetAsText: true }));
    Object.assign(process.env, { ...sandboxEnv(sf, hs), DATABASE_URL: db.url });
    const run = await setup('--apply');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: config\/example\.yaml:\d+:\d+ hs contacts\.budget is a string property, and crm-bridge writes number values to it; fix: change the field's type in the CRM, or map budget to another field/m,
    );
    const budget = await new Client({
      accessToken: SANDBOX_TOKEN,
      basePath: hs.url,
    }).crm.properties.coreApi.getByName('contacts', 'budget');
    expect(budget).toMatchObject({ type: 'string', groupName: 'contactinformation' });
    expect(run.stdout).toMatch(/^hs \(hubspot\): created \d+ properties$/m);
  });

  it('hints at a close name, and refuses to create a standard field the config misnames', async () => {
    ({ sf, hs } = await newOrgAndPortal());
    Object.assign(process.env, { ...sandboxEnv(sf, hs), DATABASE_URL: db.url });
    const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-setup-'));
    try {
      const file = join(dir, 'crm-bridge.yaml');
      writeFileSync(
        file,
        readFileSync(CONFIG, 'utf8')
          .replace(
            '{ unified: title, sf: Title, hs: jobtitle,',
            '{ unified: title, sf: Titel, hs: job_title,',
          )
          .replace(/^policy: .*$/m, `policy: ${resolve('config/policy.default.yaml')}`),
      );
      const output = captureOutput();
      expect(await main(['node', 'crm-bridge', 'setup', '--config', file], output)).toBe(1);
      expect(output.stdout).toMatch(
        /^ {2}contacts\.job_title {2}string\/text {2}\(.*\) {2}did you mean jobtitle\?$/m,
      );
      expect(output.stderr).toMatch(
        /^error: .*crm-bridge\.yaml:\d+:\d+ sf Lead\.Titel does not exist and cannot be created: a standard field, which every Lead has: check its name in the config \(custom fields end in __c\); fix: map an existing field or a custom one$/m,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('grants a field an earlier run created but could not grant', async () => {
    ({ sf, hs } = await newOrgAndPortal());
    Object.assign(process.env, { ...sandboxEnv(sf, hs), DATABASE_URL: db.url });
    // Created through the Metadata API, never granted: describe does not show it to the API user.
    const conn = new jsforce.Connection({
      instanceUrl: sf.url,
      accessToken: sf.accessToken,
      version: '62.0',
    });
    await conn.metadata.create('CustomField', [
      { fullName: 'Lead.Lead_Score__c', label: 'Lead Score', type: 'Number', precision: 18, scale: 2 },
    ] as never);
    const run = await setup('--apply');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  Lead.Lead_Score__c  already there, hidden from the API user until now');
    const score = (await conn.describe('Lead')).fields.find((f) => f.name === 'Lead_Score__c');
    expect(score?.updateable).toBe(true);
  });
});
