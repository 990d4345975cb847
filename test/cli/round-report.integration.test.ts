import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import type { RoundFigures } from '../../src/store/index.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(
    `round report browser test skipped: no ${CHROMIUM} (install it with apt-get install -y chromium)`,
  );

/** The example config's lifecycle map, read back: each CRM's value → the unified stage. */
const SF_STAGE: Record<string, string> = {
  Other: 'other',
  Prospect: 'prospect',
  Lead: 'lead',
  MQL: 'mql',
  SQL: 'sql',
  Opportunity: 'opportunity',
  Customer: 'customer',
  Evangelist: 'evangelist',
};
const HS_STAGE: Record<string, string> = {
  other: 'other',
  lead: 'lead',
  subscriber: 'lead',
  marketingqualifiedlead: 'mql',
  salesqualifiedlead: 'sql',
  opportunity: 'opportunity',
  customer: 'customer',
  evangelist: 'evangelist',
};

const tally = (stages: readonly (string | undefined)[]) => {
  const out: Record<string, number> = {};
  for (const s of stages) out[s ?? 'none'] = (out[s ?? 'none'] ?? 0) + 1;
  return out;
};

/**
 * `sync --once` against both sandboxes: the round report's figures equal what the sandboxes hold afterwards and what
 * the state store keeps; `status --run` shows the same round again from the run log; the HTML page shows them too.
 */
describe('the round report', () => {
  let h: SyncHarness;
  let dir: string;
  let config: string;
  let html: string;
  let figures: RoundFigures;
  let apiCalls: Record<string, number>;
  const saved = { ...process.env };

  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
    Object.assign(process.env, h.env, { DATABASE_URL: h.databaseUrl });
    dir = mkdtempSync(join(tmpdir(), 'crm-bridge-report-'));
    config = join(dir, 'crm-bridge.yaml');
    html = join(dir, 'report.html');
    copyFileSync('config/example.yaml', config);
    copyFileSync('config/policy.default.yaml', join(dir, 'policy.default.yaml'));
    h.sf.seed('Lead', [
      { LastName: 'Ames', Company: 'A Co', Email: 'ames@a.example', Lifecycle_Stage__c: 'Lead' },
      { LastName: 'Bell', Company: 'B Co', Email: 'bell@b.example', Lifecycle_Stage__c: 'MQL' },
      { LastName: 'Cruz', Company: 'C Co', Email: 'cruz@c.example', Lifecycle_Stage__c: 'Lead' },
    ]);
    h.sf.seed('Contact', [{ LastName: 'Diaz', Email: 'diaz@d.example', Lifecycle_Stage__c: 'Customer' }]);
    h.hs.seed('contacts', [
      { email: 'ames@a.example', lastname: 'Ames', lifecyclestage: 'lead' },
      { email: 'bell@b.example', lastname: 'Bell', lifecyclestage: 'salesqualifiedlead' },
      { email: 'eng@e.example', lastname: 'Eng', lifecyclestage: 'subscriber' },
      { email: 'fox@f.example', lastname: 'Fox', lifecyclestage: 'opportunity' },
    ]);
    const output = captureOutput();
    const code = await main(
      ['node', 'crm-bridge', 'sync', '--once', '--config', config, '--json', '--html', html],
      output,
    );
    expect(output.stderr).not.toContain('Error');
    expect(code).toBe(0);
    const report = JSON.parse(output.stdout) as { figures: RoundFigures; apiCalls: Record<string, number> };
    figures = report.figures;
    apiCalls = report.apiCalls;
  }, 120_000);
  afterAll(async () => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    await h?.close();
  });

  const object = (connection: string, name: string) => {
    const found = figures.objects.find((o) => o.connection === connection && o.object === name);
    if (found === undefined) throw new Error(`no figures for ${connection}/${name}`);
    return found;
  };

  it('counts per object what was read, created and set aside, as the sandboxes end up', () => {
    expect(object('sf', 'Lead')).toMatchObject({ pulled: 3, held: 0, refused: 0, fieldIssues: 0 });
    expect(object('sf', 'Contact')).toMatchObject({ pulled: 1, held: 0 });
    expect(object('hs', 'contacts')).toMatchObject({ pulled: 4, created: 2, held: 0, fieldIssues: 0 });
    // Eng and Fox were created in Salesforce; Cruz and Diaz in HubSpot.
    const sfCreated = figures.objects.filter((o) => o.connection === 'sf').reduce((n, o) => n + o.created, 0);
    expect(sfCreated).toBe(2);
    const sfPeople = [
      ...[...h.sf.store.all('Lead')].filter((r) => r.IsConverted !== true),
      ...h.sf.store.all('Contact'),
    ];
    expect(sfPeople).toHaveLength(4 + sfCreated);
    expect(h.hs.store.all('contacts')).toHaveLength(4 + object('hs', 'contacts').created);
  });

  it('draws the funnel before from what each CRM held, and after from what both hold now', async () => {
    const sf = figures.funnel.crms.find((c) => c.connection === 'sf');
    const hs = figures.funnel.crms.find((c) => c.connection === 'hs');
    expect(sf?.before).toEqual({ lead: 2, mql: 1, customer: 1 });
    expect(hs?.before).toEqual({ lead: 2, sql: 1, opportunity: 1 });
    // Bell was an MQL in Salesforce and an SQL in HubSpot.
    expect(figures.funnel.disagreements).toEqual({ before: 1, after: 0, both: 6 });
    const sfNow = tally(
      [
        ...[...h.sf.store.all('Lead')].filter((r) => r.IsConverted !== true),
        ...h.sf.store.all('Contact'),
      ].map((r) => SF_STAGE[String(r.Lifecycle_Stage__c)]),
    );
    const hsNow = tally(h.hs.store.all('contacts').map((r) => HS_STAGE[String(r.properties.lifecyclestage)]));
    expect(sf?.after).toEqual(sfNow);
    expect(hs?.after).toEqual(hsNow);
    // The state store's merged records say the same.
    const links = await h.store.findLinks(
      h.hs.store
        .all('contacts')
        .map((r) => ({ connection: 'hs', object: 'contacts', externalId: String(r.id) })),
    );
    const merged = await h.store.snapshots([...new Set([...links.values()].map((l) => l.unifiedId))]);
    expect(
      tally(
        [...merged.values()].map((m) => (m.lifecycleStage == null ? undefined : String(m.lifecycleStage))),
      ),
    ).toEqual(hsNow);
  });

  it('sets the API calls against the minimum the data needs', () => {
    for (const a of figures.api) {
      expect(a.calls).toBe(apiCalls[a.connection]);
      const mine = figures.objects.filter((o) => o.connection === a.connection);
      const pages = mine.reduce((n, o) => n + Math.max(1, Math.ceil(o.pulled / a.pageSize)), 0);
      const batches = mine.reduce((n, o) => n + Math.ceil((o.created + o.updated) / a.batchSize), 0);
      expect(a.minimum).toBe(pages + batches + Math.ceil(a.converted / a.batchSize));
      expect(a.calls ?? 0).toBeGreaterThanOrEqual(a.minimum);
    }
    expect(figures.api.map((a) => [a.connection, a.pageSize, a.batchSize])).toEqual([
      ['sf', 2000, 200],
      ['hs', 200, 100],
    ]);
  });

  it('shows the same round again with status --run, from the run log', async () => {
    const json = captureOutput();
    expect(await main(['node', 'crm-bridge', 'status', '--run', figures.runId, '--json'], json)).toBe(0);
    expect((JSON.parse(json.stdout) as { summary: { report: RoundFigures } }).summary.report).toEqual(
      figures,
    );
    const text = captureOutput();
    expect(await main(['node', 'crm-bridge', 'status', '--run', figures.runId], text)).toBe(0);
    expect(text.stdout).toContain(`round ${figures.runId} sf-hs succeeded`);
    expect(text.stdout).toMatch(/person hs\/contacts \(hubspot\)\s+4\s+2\s/);
    expect(text.stdout).toContain('people the two CRMs disagreed on (different stage): 1 before, 0 after');
    const missing = captureOutput();
    expect(await main(['node', 'crm-bridge', 'status', '--run', 'no-such-round'], missing)).toBe(1);
    expect(missing.stderr).toContain('no round no-such-round in the run log');
  });

  it('reports the round right after: everyone read again, nearly all unchanged, the funnel as the last round left it', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'sync', '--once', '--config', config, '--json'], output)).toBe(
      0,
    );
    const idle = (JSON.parse(output.stdout) as { figures: RoundFigures }).figures;
    // The overlap window reads every person again; at most the people an update went to count as changed.
    const updated = idle.objects.reduce((n, o) => n + o.updated, 0);
    expect(updated).toBeLessThanOrEqual(1);
    for (const o of idle.objects) {
      expect(o.created + o.converted + o.held + o.refused, `${o.connection}/${o.object}`).toBe(0);
      expect(o.unchanged).toBeGreaterThanOrEqual(o.pulled - updated);
      expect(o.unchanged).toBeLessThanOrEqual(o.pulled);
    }
    expect(idle.objects.reduce((n, o) => n + o.pulled - o.unchanged, 0)).toBe(updated * 2);
    for (const c of idle.funnel.crms) {
      const last = figures.funnel.crms.find((f) => f.connection === c.connection);
      expect(c.before).toEqual(last?.after);
      expect(c.after).toEqual(last?.after);
    }
    expect(idle.funnel.disagreements).toEqual({ before: 0, after: 0, both: 6 });
    // The rows the report was counted from are gone with it.
    for (const table of ['report_runs', 'report_before', 'report_records'])
      expect(await h.database.query(`select run_id from ${table}`)).toEqual([]);
  }, 60_000);

  it('shows what an older round logged without report figures', async () => {
    await h.store.startRun('old-round', 'sf-hs');
    await h.store.finishRun('old-round', 'succeeded', {
      counts: { 'person.created.hs/contacts': 3 },
      apiCalls: { sf: 7, hs: 5 },
      errors: {},
      durationMs: 420,
    });
    const text = captureOutput();
    expect(await main(['node', 'crm-bridge', 'status', '--run', 'old-round'], text)).toBe(0);
    expect(text.stdout).toContain('counts: person.created.hs/contacts 3');
    expect(text.stdout).toContain('API calls: sf 7, hs 5');
    expect(text.stdout).toContain('logged without report figures');
    const page = captureOutput();
    expect(
      await main(['node', 'crm-bridge', 'status', '--run', 'old-round', '--html', join(dir, 'x.html')], page),
    ).toBe(1);
    expect(page.stderr).toContain('kept no report figures');
  });

  it('writes a self-contained page with counts only', () => {
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg id="funnel-chart"');
    expect(page).not.toMatch(/\s(src|href)=/);
    expect(page).not.toContain('<script');
    for (const secret of [
      h.env.SALESFORCE_ACCESS_TOKEN,
      h.env.HUBSPOT_ACCESS_TOKEN,
      'ames@a.example',
      'Ames',
    ])
      if (secret) expect(page).not.toContain(secret);
  });

  describe.skipIf(!haveChromium)('in a real browser', () => {
    /** Runs `use` with a page of a fresh Chromium profile, closed and removed afterwards. */
    async function withPage(use: (page: Page) => Promise<void>): Promise<void> {
      const profile = mkdtempSync(join(tmpdir(), 'crm-bridge-chromium-'));
      let browser: BrowserContext | undefined;
      try {
        browser = await chromium.launchPersistentContext(profile, {
          executablePath: CHROMIUM,
          headless: true,
          args: ARGS,
        });
        await use(browser.pages()[0] ?? (await browser.newPage()));
      } finally {
        await browser?.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }

    it(
      'shows the figures of the report, and draws a bar per stage',
      () =>
        withPage(async (page) => {
          const requests: string[] = [];
          page.on('request', (r) => requests.push(r.url()));
          await page.goto(`file://${html}`);
          const shown = (await page.evaluate(
            `Object.fromEntries([...document.querySelectorAll('[data-figure]')].map((e) => [e.dataset.figure, e.textContent]))`,
          )) as Record<string, string>;
          for (const o of figures.objects)
            for (const key of [
              'pulled',
              'created',
              'updated',
              'converted',
              'unchanged',
              'held',
              'refused',
              'fieldIssues',
            ] as const)
              expect(
                shown[`${o.entity} ${o.connection}/${o.object} ${key}`],
                `${o.connection}/${o.object} ${key}`,
              ).toBe(String(o[key]));
          for (const c of figures.funnel.crms)
            for (const s of figures.funnel.stages) {
              expect(shown[`funnel ${c.connection} before ${s}`]).toBe(String(c.before[s] ?? 0));
              expect(shown[`funnel ${c.connection} after ${s}`]).toBe(String(c.after[s] ?? 0));
            }
          expect(shown['disagreements before']).toBe('1');
          expect(shown['disagreements after']).toBe('0');
          for (const a of figures.api) {
            expect(shown[`api ${a.connection} calls`]).toBe(String(a.calls));
            expect(shown[`api ${a.connection} minimum`]).toBe(String(a.minimum));
          }
          expect(shown['duration ms']).toBe(String(figures.durationMs));
          const bars = (await page.evaluate(
            `[...document.querySelectorAll('#funnel-chart rect[data-bar]')].map((r) => r.getBoundingClientRect().width > 0 ? 1 : 0)`,
          )) as number[];
          expect(bars).toHaveLength(figures.funnel.stages.length * 2 * figures.funnel.crms.length);
          expect(bars.filter((b) => b === 1).length).toBeGreaterThan(0);
          expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
        }),
      60_000,
    );
  });
});
