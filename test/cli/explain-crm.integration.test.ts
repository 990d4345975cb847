import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

describe('crm-bridge explain <connection>:<object>:<id>', () => {
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
      ['node', 'crm-bridge', 'explain', ...args, '--config', 'config/example.yaml'],
      output,
    );
    return { code, ...output };
  };

  /** A Lead the default policy finds sales-ready: it fits, and after a first inquiry it asked sales to call. */
  const salesReadyLead = (name: string, more: Record<string, unknown> = {}) => {
    const [id] = h.sf.seed('Lead', [
      {
        LastName: name,
        Email: `${name.toLowerCase()}@analytical.example.com`,
        Company: 'Analytical Engines',
        Title: 'CTO',
        Country: 'US',
        Industry: 'Technology',
        NumberOfEmployees: 300,
        LeadSource: 'Phone Inquiry',
        First_Conversion__c: 'Pricing whitepaper',
        Recent_Conversion__c: 'Request a call back',
        Conversion_Count__c: 2,
        ...more,
      },
    ]) as [string];
    return id;
  };

  it('reads a Salesforce Lead and a HubSpot contact from the CRMs and classifies them', async () => {
    const [lead] = h.sf.seed('Lead', [
      { LastName: 'Lovelace', Email: 'ada@x.example', Company: 'X Ltd', LeadSource: 'Purchased List' },
    ]) as [string];
    const fromSalesforce = await explain(`salesforce:Lead:${lead}`, '--json');
    expect(fromSalesforce.code).toBe(0);
    expect(JSON.parse(fromSalesforce.stdout)).toMatchObject({ leadType: 'MSRL', stage: 'lead' });

    const [contact] = h.hs.seed('contacts', [
      { email: 'grace@navy.example.org', lastname: 'Hopper', recent_conversion_event_name: 'Request a demo' },
    ]) as [string];
    const fromHubSpot = await explain(`hs:contacts:${contact}`);
    expect(fromHubSpot.code).toBe(0);
    expect(fromHubSpot.stdout).toContain('lead type    IQL because demoRequest');
  });

  it('reads that Salesforce already converted a Lead, and names the Contact it became', async () => {
    // Sales-ready by the default policy, and a rep works it.
    const lead = salesReadyLead('Li', { Status: 'Working - Contacted' });
    const before = await explain(`salesforce:Lead:${lead}`);
    expect(before.stdout).toContain('convert      yes, will convert: sales-ready');

    // A user converts it in Salesforce's own screens (SOAP convertLead, another session on the org).
    const { connectors } = await h.context();
    const [done] =
      (await connectors.sf?.convert?.([{ ref: 'by-hand', personId: lead, createOpportunity: false }])) ?? [];
    const contact = done?.ok ? done.contactId : 'none';
    expect(h.sf.read('Lead', lead)?.ConvertedContactId).toBe(contact);

    const after = await explain(`salesforce:Lead:${lead}`);
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain('convert      yes');
    expect(after.stdout).toContain(
      `convert      no: already converted in Salesforce into Contact ${contact}; it will not be converted again\n`,
    );
    const json = JSON.parse((await explain(`sf:Lead:${lead}`, '--json')).stdout);
    expect(json.convert).toEqual({
      required: false,
      reason: `already converted in Salesforce into Contact ${contact}; it will not be converted again`,
    });
  });

  it("counts a rep's acceptance recorded from the CLI, as the sync does", async () => {
    // Sales-ready, but no rep works it: proposed, waiting for a rep.
    const lead = salesReadyLead('Okafor');
    expect((await explain(`salesforce:Lead:${lead}`)).stdout).toContain('proposed, waiting for a rep');
    // A round links it; a rep accepts it from the CLI before the next round writes anything back.
    const output = captureOutput();
    expect(
      await main(['node', 'crm-bridge', 'sync', '--once', '--config', 'config/example.yaml'], output),
    ).toBe(0);
    const accepted = captureOutput();
    const code = await main(
      [
        'node',
        'crm-bridge',
        'conversions',
        'accept',
        'okafor@analytical.example.com',
        '--config',
        'config/example.yaml',
      ],
      accepted,
    );
    expect(code).toBe(0);
    const after = await explain(`salesforce:Lead:${lead}`);
    expect(after.stdout).toContain('convert      yes, will convert');
    expect(after.stdout).not.toContain('waiting for a rep');
  });

  it('names what is wrong with a reference', async () => {
    expect((await explain('zendesk:Lead:1')).stderr).toContain(
      'no connection or system "zendesk" in sync.pair (sf, hs)',
    );
    expect((await explain('sf:Account:001000000000001AAA')).stderr).toContain(
      'Account is not a person object of sf (Lead, Contact)',
    );
    expect((await explain('hs:contacts:999999')).stderr).toContain('hs:contacts:999999: no such record');
  });
});
