import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainCommand } from '../../cli/explain-command.ts';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';

const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-explain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = '2026-06-01T00:00:00Z';

function recordFile(name: string, record: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(record));
  return file;
}

async function explain(...args: string[]) {
  const output = captureOutput();
  const code = await main(['node', 'crm-bridge', 'explain', '--now', NOW, ...args], output);
  return { code, ...output };
}

const demoRequest = {
  title: 'VP Sales',
  address: { country: 'US' },
  industry: 'technology',
  employees: 120,
  firstConversion: 'E-book: CRM hygiene',
  recentConversion: 'Request a demo',
  conversionCount: 2,
  leadStatus: 'working',
  lifecycleStage: 'lead',
};

describe('crm-bridge explain', () => {
  it('says the stage and why in its first line, the thresholds beside the values, and no trace unless asked', async () => {
    const { code, stdout } = await explain(recordFile('bare.json', demoRequest), '-c', 'config/example.yaml');
    expect(code).toBe(0);
    const [first] = stdout.split('\n');
    expect(first).toBe(
      'stage sql (was lead) because sales-ready (fit: 5 of 5, action: demoRequest "Request a demo"), accepted by a rep (leadStatus "working")',
    );
    expect(stdout).toContain('\nlead type    IQL because demoRequest\n');
    expect(stdout).toContain('\nscore        65 (sales-ready 65 < 75, engaged 65 ≥ 30)\n');
    expect(stdout).toContain(
      '\nsales-ready  yes because fit: 5 of 5, action: demoRequest "Request a demo", conversionCount 2\n',
    );
    expect(stdout).toContain(
      'convert      yes, will convert: sales-ready: fits and took a sales action (demoRequest); accepted by a rep: leadStatus "working"\n',
    );
    expect(stdout).toMatch(/policy {7}config\/policy\.default\.yaml \(version [0-9a-f]{12}\)/);
    expect(stdout).not.toContain('signals.demoRequest');
    expect(stdout).toContain('every rule with the values it saw: --trace');
    expect(stdout.split('\n').length).toBeLessThan(30);
  });

  it('prints every rule with the values it saw under --trace', async () => {
    const { code, stdout } = await explain(recordFile('bare.json', demoRequest), '--trace');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      / {2}✓ signals\.demoRequest +firstConversion="E-book: CRM hygiene" recentConversion="Request a demo"\n/,
    );
    expect(stdout).toMatch(/ {2}✓ stage +current="lead" derived="sql" {2}→ sql \(forward\)\n/);
  });

  it('says a sales-ready lead no rep accepted yet is proposed, waiting for a rep, and how a rep accepts it', async () => {
    const { stdout } = await explain(recordFile('new.json', { ...demoRequest, leadStatus: 'new' }));
    expect(stdout.split('\n')[0]).toBe(
      'stage lead because interest (formFill, contentDownload, demoRequest); proposed for conversion, waiting for a rep (see convert)',
    );
    expect(stdout).toContain(
      [
        'convert      proposed, waiting for a rep: sales-ready: fits and took a sales action (demoRequest)',
        '             not accepted in the CRM yet: leadStatus "new", conversionProposal none',
        '             a rep accepts it in the CRM, or with crm-bridge conversions accept <unified id | e-mail>',
      ].join('\n'),
    );
  });

  it("says what holds a sales-ready lead back when the policy's own conversion condition does not match", async () => {
    const policy = join(dir, 'held-back.yaml');
    writeFileSync(
      policy,
      readFileSync('config/policy.default.yaml', 'utf8').replace(
        '  when: { fact: salesReady }\n',
        '  when: { all: [{ fact: salesReady }, { field: custom.timeline, exists: true }] }\n',
      ),
    );
    const { stdout } = await explain(recordFile('held.json', demoRequest), '--policy', policy);
    expect(stdout.split('\n')[0]).toBe(
      'stage sql (was lead) because sales-ready (fit: 5 of 5, action: demoRequest "Request a demo"), accepted by a rep (leadStatus "working"); sales-ready, not converted yet (see convert)',
    );
    expect(stdout).toContain(
      'convert      no: sales-ready, but conversion.when did not match: sales-ready (fit: 5 of 5, action: demoRequest "Request a demo"), custom.timeline none\n',
    );
  });

  it('shows a score under its threshold as a comparison', async () => {
    const { stdout } = await explain(recordFile('low.json', { ...demoRequest, conversionCount: 1 }));
    expect(stdout).toContain(
      'sales-ready  no because fit: 5 of 5, action: demoRequest "Request a demo", conversionCount 1, score 60 < 75\n',
    );
  });

  it('prints JSON for machines, with the account and opportunities of an envelope as facts', async () => {
    const envelope = {
      person: { kind: 'contact', email: 'ana@acme.com', lifecycleStage: 'sql' },
      account: { name: 'Acme', employees: 900 },
      opportunities: [{ name: 'Renewal', stage: 'closedWon', isClosed: true, isWon: true }],
    };
    const { code, stdout } = await explain(recordFile('envelope.json', envelope), '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      stage: 'customer',
      convert: { required: false, reason: 'already a customer (a won opportunity)' },
    });
    expect(result.policyVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(result.trace[0]).toEqual({
      rule: 'facts',
      matched: true,
      saw: { openOpportunities: 0, wonOpportunities: 1, converted: false },
    });
  });

  it('maps a record as Salesforce returns it through the config first', async () => {
    const lead = {
      connection: 'sf',
      object: 'Lead',
      id: '00Q000000000001',
      fields: {
        LastName: 'Li',
        Title: 'CTO',
        Country: 'US',
        Industry: 'Technology',
        NumberOfEmployees: 300,
        LeadSource: 'Phone Inquiry',
        Lifecycle_Stage__c: 'MQL',
      },
    };
    const { code, stdout } = await explain(
      recordFile('lead.json', lead),
      '-c',
      'config/example.yaml',
      '--json',
    );
    expect(code).toBe(0);
    // A phone inquiry is a first inquiry: a lead (SRL), not yet sales-ready.
    expect(JSON.parse(stdout)).toMatchObject({
      stage: 'lead',
      leadType: 'SRL',
      interest: ['contactSales'],
      fit: true,
      salesReady: false,
    });
  });

  it('shows the raw CRM value beside the mapped one', async () => {
    const contact = {
      connection: 'hs',
      object: 'contacts',
      fields: {
        email: 'ada@acme.example.com',
        jobtitle: 'VP Sales',
        hs_analytics_source: 'OFFLINE',
        country: 'US',
      },
    };
    const { stdout } = await explain(recordFile('hs.json', contact), '-c', 'config/example.yaml');
    expect(stdout).toContain('leadSource "offline" (hs_analytics_source "OFFLINE")');
    expect(stdout).toContain('title "VP Sales" (jobtitle)');
  });

  it("gives a Salesforce Contact its Account's company facts, and no Lead conversion", async () => {
    const contact = {
      connection: 'sf',
      object: 'Contact',
      fields: {
        LastName: 'Li',
        Title: 'CTO',
        MailingCountry: 'US',
        AccountId: '001000000000001AAA',
        First_Conversion__c: 'E-book',
        Recent_Conversion__c: 'Request a demo',
        Conversion_Count__c: 2,
      },
      account: { fields: { Name: 'Acme', Industry: 'Technology', NumberOfEmployees: 300 } },
    };
    const { code, stdout } = await explain(recordFile('contact.json', contact), '-c', 'config/example.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('account.employees 300 (Account.NumberOfEmployees)');
    expect(stdout).toContain('fit          yes: 5 of 5');
    expect(stdout).not.toContain('salesforce Lead');
    expect(stdout).not.toContain('convert      yes');
  });

  it('never converts again a Lead Salesforce converted, and names the Contact it became', async () => {
    const lead = {
      connection: 'sf',
      object: 'Lead',
      id: '00Q000000000002',
      fields: {
        LastName: 'Li',
        Title: 'CTO',
        Country: 'US',
        Industry: 'Technology',
        NumberOfEmployees: 300,
        LeadSource: 'Phone Inquiry',
        First_Conversion__c: 'Pricing whitepaper',
        Recent_Conversion__c: 'Request a call back',
        Conversion_Count__c: 2,
      },
      converted: { contactId: '003000000000002AAA', accountId: '001000000000002AAA' },
    };
    const { code, stdout } = await explain(recordFile('converted.json', lead), '-c', 'config/example.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('\nsales-ready  yes because');
    expect(stdout).toContain(
      'convert      no: already converted in Salesforce into Contact 003000000000002AAA; it will not be converted again\n',
    );
    expect(stdout).not.toContain('Salesforce: this Lead is converted');
  });

  it('uses the policy named with --policy', async () => {
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, (await import('./minimal-policy.ts')).MINIMAL);
    const { code, stdout } = await explain(recordFile('p.json', demoRequest), '--policy', policy);
    expect(code).toBe(0);
    expect(stdout).toContain(`policy       ${policy} (version `);
    expect(stdout).toContain('\nlead type    SRL because demoRequest\n');
  });

  it('reads stdin when the file is - or absent', async () => {
    const output = captureOutput();
    const code = await explainCommand({ now: NOW, json: true }, output, async () =>
      JSON.stringify(demoRequest),
    );
    expect(code).toBe(0);
    expect(JSON.parse(output.stdout).stage).toBe('sql');
  });

  it.each<[string, unknown, string[], string]>([
    [
      'an invalid person',
      { person: { email: 'x' } },
      [],
      'envelope.json: person.email: Invalid email address\n',
    ],
    [
      'an external object the config does not map to a person',
      { connection: 'sf', object: 'Account', fields: {} },
      ['-c', 'config/example.yaml'],
      'envelope.json: the config maps no person from sf Account; it maps: sf Lead, sf Contact, hs contacts\n',
    ],
    [
      'a conversion that is not one',
      { connection: 'sf', object: 'Lead', fields: { LastName: 'Li' }, converted: { contactId: 7 } },
      ['-c', 'config/example.yaml'],
      'envelope.json: converted.contactId: Invalid input: expected string, received number\n',
    ],
    [
      'a value the mapper refuses',
      { connection: 'hs', object: 'contacts', fields: { email: 'not-an-email' } },
      ['-c', 'config/example.yaml'],
      'envelope.json: email (email): invalid e-mail; got "not-an-email"\n',
    ],
  ])('reports %s and exits 1', async (_, record, args, message) => {
    const { code, stderr, stdout } = await explain(recordFile('envelope.json', record), ...args);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.replaceAll(`${dir}/`, '')).toBe(message);
  });

  it('reports a config it cannot read', async () => {
    const { code, stderr } = await explain(recordFile('x.json', {}), '-c', 'missing.yaml');
    expect(code).toBe(1);
    expect(stderr).toBe('missing.yaml: cannot read the config: file not found\n');
  });
});
