import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { SANDBOX_TOKEN } from '../../sandboxes/hubspot/index.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

describe('a config that names fields the org lacks', () => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startHarness(sqliteDatabase());
    h.config.sync.deletesEvery = '1s';
    // Two fields no new org has, on people; accounts and deals are fine.
    h.config.objects.person?.fields.push(
      {
        unified: 'custom.region',
        sf: 'Region__c',
        hs: 'region',
        rule: 'two-way',
        transform: [],
        onInvalid: 'skip',
      },
      {
        unified: 'custom.tier',
        sf: 'Tier__c',
        hs: 'jobtitle',
        rule: 'two-way',
        transform: [],
        onInvalid: 'skip',
      },
    );
    h.sf.seed('Account', [{ Name: 'Analytical Engines', Website: 'https://analytical.example.com' }]);
    h.hs.seed('contacts', [{ email: 'ada@x.example', lastname: 'Lovelace' }]);
  });
  afterEach(async () => {
    await h.close();
  });

  it('names every missing field at once, skips only the entity they belong to, and goes on once they exist', async () => {
    // A long-lived context, as a worker keeps.
    const ctx = await h.context();
    const first = await runSync(ctx);
    expect(first.entities.person?.skipped).toBe(true);
    expect(first.entities.account?.creates).toEqual({ 'hs/companies': 1 });
    const problems = first.entities.person?.problems ?? [];
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/sf Lead\.Region__c no such field/),
        expect.stringMatching(/sf Contact\.Region__c no such field/),
        expect.stringMatching(/sf Lead\.Tier__c no such field/),
        expect.stringMatching(/hs contacts\.region no such field/),
      ]),
    );
    expect(h.sf.count('Lead')).toBe(0);
    expect(await h.store.getCursor('hs', 'contacts')).toBeUndefined();

    // The admin creates them; the next round a little later sees them (describe data is not kept for ever).
    h.sf.createCustomFields(
      ['Lead', 'Contact'].flatMap((object) => [
        { fullName: `${object}.Region__c`, label: 'Region', type: 'Text', length: 80 },
        { fullName: `${object}.Tier__c`, label: 'Tier', type: 'Text', length: 80 },
      ]),
    );
    const client = new Client({ accessToken: SANDBOX_TOKEN, basePath: h.hs.url });
    await client.crm.properties.coreApi.create('contacts', {
      name: 'region',
      label: 'Region',
      type: 'string',
      fieldType: 'text',
      groupName: 'contactinformation',
    } as never);
    await new Promise((r) => setTimeout(r, 1100));
    const second = await runSync(ctx);
    expect(second.entities.person?.skipped).toBeUndefined();
    expect(second.entities.person?.creates).toEqual({ 'sf/Lead': 1 });
  });

  it('prints them from crm-bridge sync --once with the config lines, and exits 1', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, h.env, { DATABASE_URL: h.databaseUrl });
    const output = captureOutput();
    const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-problems-'));
    try {
      const file = join(dir, 'crm-bridge.yaml');
      writeFileSync(
        file,
        readFileSync('config/example.yaml', 'utf8').replace('hs: jobtitle', 'hs: job_title'),
      );
      copyFileSync('config/policy.default.yaml', join(dir, 'policy.default.yaml'));
      expect(await main(['node', 'crm-bridge', 'sync', '--once', '--config', file], output)).toBe(1);
      expect(output.stdout).toMatch(
        /crm-bridge\.yaml:\d+:\d+ objects\.person\.fields\[6\]\.hs: hs contacts\.job_title no such field \(did you mean jobtitle\?\), mapped to title; fix: /,
      );
      expect(output.stdout).toContain('person: skipped until the problems above are fixed');
      expect(output.stderr).toContain(
        'person skipped: fix the config problems listed, or run crm-bridge check',
      );
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
