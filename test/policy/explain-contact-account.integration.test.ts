import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

/** `crm-bridge explain sf:Contact:<id>` reads the Contact's Account too (a HubSpot contact's company), as the sync does. */
describe('crm-bridge explain of a person and the account it belongs to, in the CRM', () => {
  let h: SyncHarness;
  let saved: NodeJS.ProcessEnv;
  beforeEach(async () => {
    h = await startHarness(sqliteDatabase());
    saved = { ...process.env };
    Object.assign(process.env, h.env, { DATABASE_URL: h.databaseUrl });
  });
  afterEach(async () => {
    process.env = saved;
    await h.close();
  });

  const explain = async (...args: string[]) => {
    const output = captureOutput();
    const code = await main(
      [
        'node',
        'crm-bridge',
        'explain',
        ...args,
        '--now',
        '2025-01-15T00:00:00Z',
        '--config',
        'config/example.yaml',
      ],
      output,
    );
    return { code, ...output };
  };

  it("fits on its Account's company facts, and shows no Lead conversion for a Contact", async () => {
    const [account] = h.sf.seed('Account', [
      { Name: 'Analytical Engines', Industry: 'Technology', NumberOfEmployees: 400, BillingCountry: 'US' },
    ]) as [string];
    const [contact] = h.sf.seed('Contact', [
      {
        LastName: 'Babbage',
        Email: 'charles@analytical.example.com',
        Title: 'VP Operations',
        MailingCountry: 'US',
        AccountId: account,
        First_Conversion__c: 'E-book: CRM hygiene',
        Recent_Conversion__c: 'Request a demo',
        Conversion_Count__c: 2,
      },
    ]) as [string];

    const text = await explain(`sf:Contact:${contact}`);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('fit          yes: 5 of 5');
    expect(text.stdout).toContain('account.employees 400 (Account.NumberOfEmployees)');
    expect(text.stdout).toContain('account.industry "technology" (Account.Industry "Technology")');
    expect(text.stdout).toContain('Salesforce: nothing to convert (a Contact is already a converted person)');
    expect(text.stdout).not.toContain('this Lead is converted');

    const json = JSON.parse((await explain(`salesforce:Contact:${contact}`, '--json')).stdout);
    expect(json).toMatchObject({
      fit: true,
      salesReady: true,
      leadType: 'IQL',
      convert: { required: false },
    });
  });

  it("reads a HubSpot contact's company through its primary associated company", async () => {
    const [company] = h.hs.seed('companies', [
      { name: 'Acme', domain: 'acme.example.com', industry: 'COMPUTER_SOFTWARE', numberofemployees: '400' },
    ]) as [string];
    const [contact] = h.hs.seed('contacts', [
      {
        email: 'ana@acme.example.com',
        lastname: 'Ana',
        jobtitle: 'VP Sales',
        country: 'US',
        associatedcompanyid: company,
      },
    ]) as [string];
    const { code, stdout } = await explain(`hs:contacts:${contact}`);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('stage prospect because fit: 5 of 5');
    expect(stdout).toContain('account.industry "technology" (companies.industry "COMPUTER_SOFTWARE")');
    expect(stdout).toContain('account.employees 400 (companies.numberofemployees)');
  });

  it('reads a Contact without an Account as a person without company facts', async () => {
    const [contact] = h.sf.seed('Contact', [
      { LastName: 'Hopper', Email: 'grace@navy.example.org', Title: 'VP Operations', MailingCountry: 'US' },
    ]) as [string];
    const json = JSON.parse((await explain(`sf:Contact:${contact}`, '--json')).stdout);
    expect(json).toMatchObject({ fit: false, reasons: { fit: { matched: ['market', 'role', 'channel'] } } });
  });
});
