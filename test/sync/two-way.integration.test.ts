import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

/** Overlapping data: some people and companies in both CRMs, some in one; a Lead and a Contact for one e-mail. */
function seed(h: SyncHarness) {
  const [analytical] = h.sf.seed('Account', [
    { Name: 'Analytical Engines', Website: 'https://analytical.example.com', Industry: 'Technology' },
    { Name: 'Difference Co', Website: 'https://www.difference.example.com' },
  ]);
  h.sf.seed('Contact', [
    { LastName: 'Babbage', FirstName: 'Charles', Email: 'bob@analytical.example.com', AccountId: analytical },
  ]);
  h.sf.seed('Lead', [
    { LastName: 'Lovelace', Email: 'ada@x.example', Company: 'X Ltd' },
    { LastName: 'Babbage', Email: 'bob@analytical.example.com', Company: 'Analytical Engines' },
  ]);
  h.sf.seed('Opportunity', [
    {
      Name: 'Analytical expansion',
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
      Amount: 50000,
      AccountId: analytical,
    },
  ]);
  const [, hooli] = h.hs.seed('companies', [
    { name: 'Analytical Engines', domain: 'analytical.example.com' },
    { name: 'Hooli', domain: 'hooli.example.com' },
  ]);
  h.hs.seed('contacts', [
    { email: 'ada@x.example', firstname: 'Ada', lastname: 'Lovelace', jobtitle: 'CTO' },
    {
      email: 'carol@hooli.example.com',
      firstname: 'Carol',
      lastname: 'Shaw',
      associatedcompanyid: hooli as string,
    },
  ]);
  h.hs.seed('deals', [
    {
      dealname: 'Hooli pilot',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      amount: '1000',
      closedate: '2026-12-31',
    },
  ]);
}

const sfAll = (h: SyncHarness, object: string) =>
  [...h.sf.store.all(object)].filter((r) => r.IsDeleted !== true);
const hsAll = (h: SyncHarness, type: string) => h.hs.store.all(type);

/** Every record's modification stamp: unchanged stamps prove that nothing was written. */
function stamps(h: SyncHarness): string[] {
  const sf = ['Lead', 'Contact', 'Account', 'Opportunity'].flatMap((o) =>
    sfAll(h, o).map((r) => `${o}:${r.Id}:${String(r.SystemModstamp)}`),
  );
  const hs = ['contacts', 'companies', 'deals'].flatMap((t) =>
    hsAll(h, t).map((r) => `${t}:${r.id}:${r.updatedAt}`),
  );
  return [...sf, ...hs].sort();
}

describe.each(ENGINES)('two-way sync between the sandboxes, state on %s', (_engine, database) => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startHarness(database());
    seed(h);
  });
  afterEach(async () => {
    await h.close();
  });

  it('ends with every person, account and opportunity once on each side, linked in the identity map', async () => {
    const report = await runSync(await h.context());
    expect(Object.values(report.entities).reduce((n, r) => n + r.quarantined, 0)).toBe(0);
    // The round's own count of API calls is what the two APIs served (Salesforce's token call aside).
    expect(report.apiCalls).toEqual({ sf: h.sf.calls(), hs: h.hs.calls() });
    expect((await h.store.listRuns(1))[0]?.summary?.apiCalls).toEqual(report.apiCalls);

    const domains = (xs: string[]) => xs.sort();
    expect(domains(sfAll(h, 'Account').map((a) => String(a.Name)))).toEqual([
      'Analytical Engines',
      'Difference Co',
      'Hooli',
    ]);
    expect(domains(hsAll(h, 'companies').map((c) => c.properties.domain as string))).toEqual([
      'analytical.example.com',
      'difference.example.com',
      'hooli.example.com',
    ]);
    expect(domains(hsAll(h, 'contacts').map((c) => c.properties.email as string))).toEqual([
      'ada@x.example',
      'bob@analytical.example.com',
      'carol@hooli.example.com',
    ]);
    // Bob's Lead and Contact are one person (the Contact represents him); Carol's company is a known account now.
    expect(domains(sfAll(h, 'Contact').map((c) => String(c.Email)))).toEqual([
      'bob@analytical.example.com',
      'carol@hooli.example.com',
    ]);
    expect(sfAll(h, 'Lead')).toHaveLength(2);
    const hooli = sfAll(h, 'Account').find((a) => a.Name === 'Hooli');
    expect(sfAll(h, 'Contact').find((c) => c.Email === 'carol@hooli.example.com')?.AccountId).toBe(hooli?.Id);
    expect(domains(sfAll(h, 'Opportunity').map((o) => String(o.Name)))).toEqual([
      'Analytical expansion',
      'Hooli pilot',
    ]);
    expect(domains(hsAll(h, 'deals').map((d) => d.properties.dealname as string))).toEqual([
      'Analytical expansion',
      'Hooli pilot',
    ]);
    // HubSpot's title reached the Salesforce Lead.
    expect(sfAll(h, 'Lead').find((l) => l.Email === 'ada@x.example')?.Title).toBe('CTO');

    for (const [connection, object, ids] of [
      ['sf', 'Account', sfAll(h, 'Account').map((r) => r.Id)],
      ['hs', 'companies', hsAll(h, 'companies').map((r) => r.id)],
      ['hs', 'contacts', hsAll(h, 'contacts').map((r) => r.id)],
      ['sf', 'Opportunity', sfAll(h, 'Opportunity').map((r) => r.Id)],
      ['hs', 'deals', hsAll(h, 'deals').map((r) => r.id)],
    ] as const) {
      const links = await h.store.findLinks(ids.map((externalId) => ({ connection, object, externalId })));
      expect(links.size, `${connection} ${object} linked`).toBe(ids.length);
    }
  });

  it('writes nothing in a second round right after the first', async () => {
    await runSync(await h.context());
    const before = stamps(h);
    const second = await runSync(await h.context());
    expect(stamps(h)).toEqual(before);
    // (A record HubSpot completed after the create, e.g. hs_email_domain, is read once more but writes nothing.)
    for (const r of Object.values(second.entities)) {
      expect(r.creates).toEqual({});
      expect(r.updates).toEqual({});
    }
  });

  it('writes exactly the five records changed on one side to the other', async () => {
    await runSync(await h.context());
    for (const [i, contact] of hsAll(h, 'contacts').entries()) {
      h.hs.touch('contacts', [contact.id], { fields: { jobtitle: `Title ${i}` } });
    }
    h.hs.touch('companies', [hsAll(h, 'companies')[0]?.id as string], {
      fields: { phone: '+1 512 555 0199' },
    });
    h.hs.touch('deals', [hsAll(h, 'deals')[0]?.id as string], { fields: { amount: '2500' } });
    const before = new Map(stamps(h).map((s) => [s.split(':').slice(0, 2).join(':'), s]));
    const report = await runSync(await h.context());
    const changedInSalesforce = stamps(h)
      .filter(
        (s) =>
          s.startsWith('Lead') ||
          s.startsWith('Contact') ||
          s.startsWith('Account') ||
          s.startsWith('Opportunity'),
      )
      .filter((s) => before.get(s.split(':').slice(0, 2).join(':')) !== s);
    expect(changedInSalesforce).toHaveLength(5);
    expect(report.entities.person?.updates).toEqual({ 'sf/Lead': 1, 'sf/Contact': 2 });
    expect(sfAll(h, 'Lead').find((l) => l.Email === 'ada@x.example')?.Title).toMatch(/^Title \d$/);
  });

  it('resolves a two-way conflict in favour of the newer change', async () => {
    await runSync(await h.context());
    const ada = hsAll(h, 'contacts').find((c) => c.properties.email === 'ada@x.example');
    const lead = sfAll(h, 'Lead').find((l) => l.Email === 'ada@x.example');
    h.sf.touch('Lead', [lead?.Id as string], { fields: { Title: 'Chief Scientist' } });
    await new Promise((r) => setTimeout(r, 5));
    h.hs.touch('contacts', [ada?.id as string], { fields: { jobtitle: 'Chief Engineer' } });
    const report = await runSync(await h.context());
    expect(report.entities.person?.conflicts).toBe(1);
    expect(sfAll(h, 'Lead').find((l) => l.Email === 'ada@x.example')?.Title).toBe('Chief Engineer');
    expect(h.hs.read('contacts', ada?.id as string)?.jobtitle).toBe('Chief Engineer');
  });

  it('leaves out a value with no counterpart and a text too long for the target, and syncs the rest', async () => {
    h.hs.seed('contacts', [
      { email: 'odd@status.example', lastname: 'Odd', hs_lead_status: 'SOMETHING_ELSE', jobtitle: 'CTO' },
      { email: 'long@title.example', lastname: 'Long', jobtitle: 'x'.repeat(200), city: 'Leeds' },
      { email: 'fine@ok.example', lastname: 'Fine' },
    ]);
    const report = await runSync(await h.context());
    expect(report.entities.person?.quarantined).toBe(2);
    const leads = new Map(sfAll(h, 'Lead').map((l) => [l.Email, l]));
    expect(leads.get('fine@ok.example')).toBeDefined();
    expect(leads.get('odd@status.example')).toMatchObject({ Title: 'CTO' });
    expect(leads.get('long@title.example')).toMatchObject({ City: 'Leeds' });
    expect(leads.get('long@title.example')?.Title ?? null).toBeNull();
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = h.databaseUrl;
    const output = captureOutput();
    try {
      expect(await main(['node', 'crm-bridge', 'quarantine'], output)).toBe(0);
    } finally {
      process.env.DATABASE_URL = saved;
    }
    expect(output.stdout).toMatch(
      /person hs contacts leadStatus = "SOMETHING_ELSE": 1 record \(#\d+\): hs_lead_status: unknown value "SOMETHING_ELSE" for value map leadStatus/,
    );
    expect(output.stdout).toMatch(
      /person hs contacts title = "x{200}": 1 record \(#\d+\): Title: 200 characters, longer than sf Lead.Title takes \(128\)/,
    );
    expect(output.stdout).toContain('0 held records, 0 refused writes, 2 field issues in 2 groups');
  });

  it('ends as an uninterrupted round would after a round that died in the middle of its writes', async () => {
    const ctx = await h.context();
    const sf = ctx.connectors.sf;
    if (!sf) throw new Error('no sf connector');
    let pushes = 0;
    const crashing = {
      ...ctx,
      connectors: {
        ...ctx.connectors,
        sf: {
          system: sf.system,
          describe: (object: string) => sf.describe(object),
          pull: (...args: Parameters<typeof sf.pull>) => sf.pull(...args),
          convert: (...args: Parameters<NonNullable<typeof sf.convert>>) =>
            sf.convert?.(...args) ?? Promise.resolve([]),
          push: async (...args: Parameters<typeof sf.push>) => {
            pushes++;
            if (pushes === 2) throw new ConnectorFailure({ kind: 'unavailable', message: 'connection lost' });
            return sf.push(...args);
          },
        },
      },
    };
    await expect(runSync(crashing)).rejects.toThrow('connection lost');
    await runSync(await h.context());
    await runSync(await h.context());
    expect(sfAll(h, 'Account')).toHaveLength(3);
    expect(hsAll(h, 'companies')).toHaveLength(3);
    expect(hsAll(h, 'contacts')).toHaveLength(3);
    expect(sfAll(h, 'Contact')).toHaveLength(2);
    expect(sfAll(h, 'Lead')).toHaveLength(2);
    expect(sfAll(h, 'Opportunity')).toHaveLength(2);
    expect(hsAll(h, 'deals')).toHaveLength(2);
  });
});

describe('crm-bridge sync --once --dry-run against the sandboxes', () => {
  it('prints the plan and writes nothing', async () => {
    const h = await startHarness(ENGINES[0][1]());
    const dryStore = join(tmpdir(), `crm-bridge-dry-${process.pid}.db`);
    try {
      seed(h);
      const before = stamps(h);
      const saved = { ...process.env };
      Object.assign(process.env, h.env, { DATABASE_URL: `sqlite:${dryStore}` });
      const output = captureOutput();
      const code = await main(
        ['node', 'crm-bridge', 'sync', '--once', '--dry-run', '--config', 'config/example.yaml'],
        output,
      );
      process.env = saved;
      expect(code).toBe(0);
      expect(output.stdout).toContain('dry run (nothing written)');
      expect(output.stdout).toMatch(/person: read 5, changed 5/);
      expect(output.stdout).toMatch(/would create: .*1 hs\/contacts/);
      expect(output.stdout).toMatch(/e\.g\. (create|update) /);
      expect(stamps(h)).toEqual(before);
    } finally {
      await h.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${dryStore}${suffix}`, { force: true });
    }
  });
});
