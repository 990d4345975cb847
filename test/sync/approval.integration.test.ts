import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { DEFAULT_POLICY_FILE, parsePolicy } from '../../src/policy/index.ts';
import { runSync, type SyncReport } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

const ADA = 'ada@analytical.example.com';

/** The default policy, but converting every sales-ready person at once. */
function automaticPolicy() {
  const text = readFileSync(DEFAULT_POLICY_FILE, 'utf8').replace(
    '  approval: rep\n',
    '  approval: automatic\n',
  );
  const parsed = parsePolicy(text, 'policy.yaml');
  if (!parsed.ok) throw new Error('the automatic policy does not parse');
  return parsed.value;
}

describe.each(ENGINES)('conversions a rep confirms, state on %s', (_engine, database) => {
  let h: SyncHarness;
  let lead: string;
  let saved: NodeJS.ProcessEnv;
  beforeEach(async () => {
    h = await startHarness(database());
    saved = { ...process.env };
    process.env.DATABASE_URL = h.databaseUrl;
    h.sf.seed('Account', [
      { Name: 'Analytical Engines', Website: 'https://analytical.example.com', Industry: 'Technology' },
    ]);
    h.hs.seed('companies', [{ name: 'Analytical Engines', domain: 'analytical.example.com' }]);
    // A Lead nobody works yet (Open - Not Contacted), and the same person in HubSpot, sales-ready: fits (head of
    // engineering at a 250-people software company in the US) and asked for a demo after a first inquiry.
    [lead] = h.sf.seed('Lead', [
      { LastName: 'Lovelace', FirstName: 'Ada', Email: ADA, Company: 'Analytical Engines' },
    ]) as [string];
    h.hs.seed('contacts', [
      {
        email: ADA,
        firstname: 'Ada',
        lastname: 'Lovelace',
        jobtitle: 'Head of Engineering',
        country: 'United States',
        industry: 'COMPUTER_SOFTWARE',
        crm_bridge_employees: '250',
        recent_conversion_event_name: 'Demo request',
        num_conversion_events: '2',
        lifecyclestage: 'lead',
      },
    ]);
  });
  afterEach(async () => {
    process.env = saved;
    await h.close();
  });

  const round = async (policy?: ReturnType<typeof automaticPolicy>): Promise<SyncReport> =>
    runSync(policy === undefined ? await h.context() : { ...(await h.context()), policy });
  const cli = async (...args: string[]) => {
    const output = captureOutput();
    const code = await main(['node', 'crm-bridge', 'conversions', ...args], output);
    return { code, ...output };
  };
  const adaInHubSpot = () => h.hs.store.all('contacts')[0]?.properties ?? {};
  const contacts = () => [...h.sf.store.all('Contact')].filter((c) => c.IsDeleted !== true);

  /** Round one: Ada is proposed in both CRMs and listed, not converted. */
  async function proposed(): Promise<void> {
    const first = await round();
    expect(first.entities.person?.conversions).toBe(0);
    expect(h.sf.read('Lead', lead)).toMatchObject({ IsConverted: false, Conversion_Proposal__c: 'Proposed' });
    expect(adaInHubSpot()).toMatchObject({
      crm_bridge_conversion_proposal: 'proposed',
      lifecyclestage: 'lead',
    });
    expect(contacts()).toEqual([]);
  }

  /** Ada converted once, the proposal accepted in both CRMs, and nothing more to do two rounds later. */
  async function convertedOnce(report: SyncReport): Promise<void> {
    expect(report.entities.person?.conversions).toBe(1);
    const converted = h.sf.read('Lead', lead);
    expect(converted).toMatchObject({ IsConverted: true, Conversion_Proposal__c: 'Accepted' });
    expect(adaInHubSpot()).toMatchObject({
      crm_bridge_conversion_proposal: 'accepted',
      lifecyclestage: 'salesqualifiedlead',
    });
    await round();
    const idle = await round();
    expect(idle.entities.person?.conversions).toBe(0);
    expect(idle.entities.person?.creates).toEqual({});
    expect(idle.entities.person?.updates).toEqual({});
    expect(contacts().map((c) => c.Id)).toEqual([converted?.ConvertedContactId]);
    expect(contacts()[0]?.Conversion_Proposal__c).toBe('Accepted');
    expect(h.hs.count('contacts')).toBe(1);
    expect((await cli('--json', '-c', 'config/example.yaml')).stdout.trim()).toBe('[]');
  }

  it('proposes a sales-ready person in both CRMs and lists them, then converts them after crm-bridge conversions accept', async () => {
    await proposed();
    const listed = await cli('--json', '-c', 'config/example.yaml');
    expect(listed.code).toBe(0);
    const [ada, ...others] = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(others).toEqual([]);
    expect(ada).toMatchObject({
      name: 'Ada Lovelace',
      email: ADA,
      why: 'sales-ready: fits and took a sales action (demoRequest)',
      since: '2026-11-25T12:00:00.000Z',
    });
    expect(ada?.records).toEqual(
      expect.arrayContaining([
        { connection: 'sf', object: 'Lead', id: lead },
        { connection: 'hs', object: 'contacts', id: h.hs.store.all('contacts')[0]?.id },
      ]),
    );
    const text = await cli('-c', 'config/example.yaml');
    expect(text.stdout).toContain(`${ada?.unifiedId as string}  Ada Lovelace <${ADA}>\n`);
    expect(text.stdout).toContain('1 person proposed; accept with crm-bridge conversions accept');

    // A round before the rep decides changes nothing: still proposed, still not converted.
    expect((await round()).entities.person?.conversions).toBe(0);
    expect(h.sf.read('Lead', lead)?.IsConverted).toBe(false);

    const accepted = await cli('accept', ADA.toUpperCase());
    expect(accepted).toMatchObject({ code: 0, stderr: '' });
    expect(accepted.stdout).toBe(
      `${ada?.unifiedId as string} (Ada Lovelace): accepted; the next round converts it\n`,
    );
    // Neither CRM changed: the round plans Ada because of the acceptance alone.
    await convertedOnce(await round());
  });

  it('converts a proposed person once a rep sets the Lead Status to Working in Salesforce', async () => {
    await proposed();
    h.sf.touch('Lead', [lead], { fields: { Status: 'Working - Contacted' } });
    await convertedOnce(await round());
  });

  it('stops proposing a person a rep declined, in both CRMs and in the list', async () => {
    await proposed();
    expect((await cli('reject', ADA)).code).toBe(0);
    expect((await round()).entities.person?.conversions).toBe(0);
    expect(h.sf.read('Lead', lead)).toMatchObject({ IsConverted: false, Conversion_Proposal__c: null });
    expect(adaInHubSpot().crm_bridge_conversion_proposal ?? '').toBe('');
    expect((await cli('--json', '-c', 'config/example.yaml')).stdout.trim()).toBe('[]');
  });

  it('refuses to record a decision on someone it does not know, naming them', async () => {
    await round();
    const unknown = await cli('accept', 'nobody@example.com', 'no-such-id');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      [
        'nobody@example.com: no person with this e-mail in the state store (synced people only; crm-bridge conversions lists the proposed ones)',
        'no-such-id: no person with this unified id in the state store (synced people only; crm-bridge conversions lists the proposed ones)',
        '',
      ].join('\n'),
    );
  });

  it('with approval automatic, converts the sales-ready person in the first round and proposes nothing', async () => {
    const policy = automaticPolicy();
    const first = await round(policy);
    expect(first.entities.person?.conversions).toBe(1);
    expect(h.sf.read('Lead', lead)?.IsConverted).toBe(true);
    expect(h.sf.read('Lead', lead)?.Conversion_Proposal__c ?? null).toBeNull();
    expect(adaInHubSpot().crm_bridge_conversion_proposal ?? '').toBe('');
    expect(adaInHubSpot().lifecyclestage).toBe('salesqualifiedlead');
  });
});
