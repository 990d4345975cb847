import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainCommand } from '../../cli/explain-command.ts';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';

const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-explain-'));
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
  recentConversion: 'Request a demo',
  lifecycleStage: 'lead',
};

describe('crm-bridge explain', () => {
  it('prints the classification and a readable trace of a bare person', async () => {
    const { code, stdout } = await explain(recordFile('bare.json', demoRequest), '-c', 'config/example.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('stage        sql (was lead)\nlead type    SRL\n');
    expect(stdout).toContain('convert      yes: sales-ready: fits and took a sales action (demoRequest)\n');
    expect(stdout).toMatch(/policy {7}config\/policy\.default\.yaml \(version [0-9a-f]{12}\)/);
    expect(stdout).toMatch(
      / {2}✓ signals\.demoRequest +firstConversion=null recentConversion="Request a demo"\n/,
    );
    expect(stdout).toMatch(/ {2}✓ stage +current="lead" derived="sql" {2}→ sql \(forward\)\n/);
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
    expect(JSON.parse(stdout)).toMatchObject({
      stage: 'sql',
      leadType: 'SRL',
      interest: ['contactSales'],
      fit: true,
    });
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
      },
      converted: { contactId: '003000000000002AAA', accountId: '001000000000002AAA' },
    };
    const { code, stdout } = await explain(recordFile('converted.json', lead), '-c', 'config/example.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('sales-ready  yes\n');
    expect(stdout).toContain(
      'convert      no: already converted in Salesforce into Contact 003000000000002AAA; it will not be converted again\n',
    );
    expect(stdout).toMatch(/ {2}✓ facts +openOpportunities=0 wonOpportunities=0 converted=true\n/);
  });

  it('uses the policy named with --policy', async () => {
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, (await import('./minimal-policy.ts')).MINIMAL);
    const { code, stdout } = await explain(recordFile('p.json', demoRequest), '--policy', policy);
    expect(code).toBe(0);
    expect(stdout).toContain(`policy       ${policy} (version `);
    expect(stdout).toContain('lead type    SRL\n');
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
