import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { seedDemo } from '../../sandboxes/demo-data.ts';
import { sandboxEnv } from '../../sandboxes/env.ts';
import { HubSpotSandbox } from '../../sandboxes/hubspot/index.ts';
import type { PipelineDef } from '../../sandboxes/hubspot/pipelines.ts';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { openStore } from '../../src/store/index.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';

/**
 * From install to a running sync on a new org and a new portal: `init --yes` writes a config from their metadata,
 * then `setup --apply`, `check` and `sync --once` sync every person once per side, with nothing held.
 */
describe('crm-bridge init', () => {
  let sf: SalesforceSandbox;
  let hs: HubSpotSandbox;
  let db: TestDatabase;
  let dir: string;
  let config: string;
  let env: Record<string, string>;
  const saved = { ...process.env };

  beforeEach(async () => {
    // A new org and a new portal: no custom field, no custom property.
    sf = await startSalesforceSandbox({ seed: 7 });
    hs = await HubSpotSandbox.start({ seed: 7, limits: { perWindow: 10_000, searchPerSecond: 1000 } });
    db = sqliteDatabase();
    env = sandboxEnv(sf, hs);
    Object.assign(process.env, env, { DATABASE_URL: db.url });
    dir = mkdtempSync(join(tmpdir(), 'crm-bridge-init-'));
    config = join(dir, 'crm-bridge.yaml');
  });
  afterEach(async () => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([sf.close(), hs.close()]);
    await db.drop();
  });

  const run = async (...args: string[]) => {
    const output = captureOutput();
    const code = await main(['node', 'crm-bridge', ...args], output);
    return { code, ...output };
  };

  it('writes a config that validates, sets the CRMs up, checks clean and syncs everyone with nothing held', async () => {
    const init = await run('init', '--yes', '--config', config);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`wrote ${config}`);
    expect(init.stdout).toMatch(
      /sf: crm-bridge setup --apply will create \d+ custom fields: .*Lead\.Lifecycle_Stage__c/,
    );
    const text = readFileSync(config, 'utf8');
    const dotenv = readFileSync(join(dir, '.env.example'), 'utf8');
    // No secret, and no URL of the org either: only env:NAME references, and empty values.
    for (const value of Object.values(env)) {
      expect(text).not.toContain(value);
      expect(dotenv).not.toContain(value);
    }
    expect(text).toContain('accessToken: env:HUBSPOT_ACCESS_TOKEN');
    expect(dotenv).toMatch(/^SALESFORCE_REFRESH_TOKEN=$/m);
    expect(dotenv).toMatch(/^HUBSPOT_ACCESS_TOKEN=$/m);

    expect((await run('validate', config)).code).toBe(0);
    const setup = await run('setup', '--apply', '--config', config);
    expect(setup.code, setup.stdout + setup.stderr).toBe(0);
    const check = await run('check', '--config', config);
    expect(check.code, check.stdout + check.stderr).toBe(0);

    const seeded = seedDemo(sf, hs, 40);
    const sync = await run('sync', '--once', '--config', config, '--json');
    expect(sync.code, sync.stderr).toBe(0);
    const report = JSON.parse(sync.stdout) as {
      entities: Record<string, { held?: number; refused?: number }>;
    };
    for (const r of Object.values(report.entities)) {
      expect(r.held ?? 0).toBe(0);
      expect(r.refused ?? 0).toBe(0);
    }
    // Every person once per side: the same e-mails in both CRMs, none twice.
    const sfEmails = [
      ...[...sf.store.all('Lead')].filter((r) => r.IsConverted !== true),
      ...sf.store.all('Contact'),
    ].map((r) => String(r.Email).toLowerCase());
    const hsEmails = hs.store.all('contacts').map((c) => String(c.properties.email).toLowerCase());
    expect(new Set(sfEmails).size).toBe(sfEmails.length);
    expect(new Set(hsEmails).size).toBe(hsEmails.length);
    expect([...sfEmails].sort()).toEqual([...hsEmails].sort());
    expect(sfEmails.length).toBeGreaterThanOrEqual(seeded.leads + seeded.contacts);
    const store = await openStore(db.url);
    try {
      const held = (await store.listQuarantine()).filter((e) => e.kind === 'held' || e.kind === 'refused');
      expect(held).toEqual([]);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('refuses to replace a file that exists without --force', async () => {
    writeFileSync(config, '# mine\n');
    const refused = await run('init', '--yes', '--config', config);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${config} already exists: pass --force to replace`);
    expect(readFileSync(config, 'utf8')).toBe('# mine\n');
    const forced = await run('init', '--yes', '--force', '--config', config);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(config, 'utf8')).toContain('written by `crm-bridge init`');
  }, 60_000);

  it.skipIf(!existsSync('/usr/bin/script'))(
    'asks on a terminal for what the environment lacks, hides the token, and writes none of it',
    async () => {
      const { SALESFORCE_INSTANCE_URL: url = '', HUBSPOT_ACCESS_TOKEN: token = '', ...rest } = env;
      // `script` gives the command a terminal of its own; the answers are typed into it.
      const child = spawn(
        'script',
        ['-qfec', `stty cols 160 rows 50; node bin/crm-bridge.js init --config ${config}`, '/dev/null'],
        {
          env: { PATH: process.env.PATH ?? '', HOME: dir, TERM: 'xterm', ...rest },
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let screen = '';
      const answered = new Set<string>();
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        for (const [prompt, answer] of [
          ['Salesforce instance URL', url],
          ['HUBSPOT_ACCESS_TOKEN', token],
        ] as const)
          if (screen.includes(prompt) && !answered.has(prompt)) {
            answered.add(prompt);
            child.stdin.write(`${answer}\r`);
          }
      });
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(code, screen).toBe(0);
      expect([...answered]).toEqual(['Salesforce instance URL', 'HUBSPOT_ACCESS_TOKEN']);
      expect(screen).toContain('crm-bridge setup --apply will create');
      // The token typed was masked on the screen, and is in neither file.
      expect(screen).not.toContain(token);
      expect(readFileSync(config, 'utf8')).not.toContain(token);
      expect(readFileSync(config, 'utf8')).not.toContain(url);
      expect(readFileSync(join(dir, '.env.example'), 'utf8')).not.toContain(token);
    },
    90_000,
  );
});

/** An org whose admin added picklist values HubSpot has no counterpart for: they are listed to decide. */
describe('crm-bridge init on an org with values of its own', () => {
  it('lists each value it could not pair above its map, and the config still validates', async () => {
    const sf = await startSalesforceSandbox({
      seed: 8,
      picklistValues: { 'Lead.LeadSource': ['Webinar'], 'Lead.Industry': ['Space Tourism'] },
    });
    const hs = await HubSpotSandbox.start({ seed: 8 });
    const saved = { ...process.env };
    const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-init-'));
    try {
      Object.assign(process.env, sandboxEnv(sf, hs));
      const config = join(dir, 'crm-bridge.yaml');
      const output = captureOutput();
      expect(await main(['node', 'crm-bridge', 'init', '--yes', '--config', config], output)).toBe(0);
      expect(output.stdout).toContain('2 values left to decide');
      const text = readFileSync(config, 'utf8');
      expect(text).toContain(
        '# to decide: Salesforce Lead.LeadSource "Webinar" has no HubSpot counterpart\n  leadSource:',
      );
      expect(text).toContain(
        '# to decide: Salesforce Lead.Industry "Space Tourism" has no HubSpot counterpart',
      );
      const validate = captureOutput();
      expect(await main(['node', 'crm-bridge', 'validate', config], validate)).toBe(0);
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
      await Promise.all([sf.close(), hs.close()]);
    }
  }, 60_000);
});

/**
 * A portal whose admin added a pipeline (its stages have ids, people see their labels) and an org whose admin named a
 * stage apart from its label: init pairs them by label, through both CRMs' describe, and lists the rest with theirs.
 */
describe('crm-bridge init on CRMs whose values are named apart from their labels', () => {
  it('pairs values by label across the two CRMs, and lists an unpaired one with its label', async () => {
    const sf = await startSalesforceSandbox({
      seed: 9,
      picklistValues: { 'Opportunity.StageName': [{ value: 'Stage_7', label: 'Renewal Due' }] },
    });
    const renewals: PipelineDef = {
      id: 'renewals',
      label: 'Renewals',
      stages: [
        { id: '1039256', label: 'Renewal due', probability: 0.5, closed: false },
        { id: '1039259', label: 'Renewal Lost', probability: 0, closed: true },
      ],
    };
    const hs = await HubSpotSandbox.start({ seed: 9, pipelines: [renewals] });
    const saved = { ...process.env };
    const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-init-'));
    try {
      Object.assign(process.env, sandboxEnv(sf, hs));
      const config = join(dir, 'crm-bridge.yaml');
      const output = captureOutput();
      expect(await main(['node', 'crm-bridge', 'init', '--yes', '--config', config], output)).toBe(0);
      expect(output.stdout).toMatch(
        /entries added for values both name alike \(opportunityStage\.renewalDue\)/,
      );
      const text = readFileSync(config, 'utf8');
      const maps = (parse(text) as { valueMaps: Record<string, Record<string, unknown>> }).valueMaps;
      expect(maps.opportunityStage?.renewalDue).toEqual({ sf: 'Stage_7', hs: '1039256' });
      expect(text).toContain(
        '# to decide: HubSpot deals.dealstage "1039259" (labelled "Renewal Lost") has no Salesforce counterpart',
      );
      const validate = captureOutput();
      expect(await main(['node', 'crm-bridge', 'validate', config], validate)).toBe(0);
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
      await Promise.all([sf.close(), hs.close()]);
    }
  }, 60_000);
});
