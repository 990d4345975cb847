import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

/** `crm-bridge sync --once`'s exit code tells cron whether everything synced. */
describe('crm-bridge sync --once exit codes', () => {
  let h: SyncHarness;
  let saved: NodeJS.ProcessEnv;
  let dir: string;
  let config: string;
  beforeEach(async () => {
    h = await startHarness(sqliteDatabase());
    saved = { ...process.env };
    Object.assign(process.env, h.env, { DATABASE_URL: h.databaseUrl });
    dir = mkdtempSync(join(tmpdir(), 'crm-bridge-exit-'));
    config = join(dir, 'crm-bridge.yaml');
    // A lead status the map does not know holds the whole person.
    writeFileSync(
      config,
      readFileSync('config/example.yaml', 'utf8').replace(
        'hs: hs_lead_status, values: leadStatus }',
        'hs: hs_lead_status, values: leadStatus, onInvalid: hold }',
      ),
    );
    copyFileSync('config/policy.default.yaml', join(dir, 'policy.default.yaml'));
  });
  afterEach(async () => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  const sync = async (...extra: string[]) => {
    const output = captureOutput();
    const code = await main(['node', 'crm-bridge', 'sync', '--once', '--config', config, ...extra], output);
    return { code, ...output };
  };

  it('exits 0 when everything synced, field issues included', async () => {
    h.sf.seed('Account', [{ Name: 'Big Co', Website: 'https://big.example.com', Type: 'Customer - Direct' }]);
    const ran = await sync();
    expect(ran.stderr).toContain(
      '0 records held, 0 writes refused, 1 field issues: see crm-bridge quarantine',
    );
    expect(ran.code).toBe(0);
  });

  it('exits 1 when a record was held, and 0 with --allow-held', async () => {
    h.hs.seed('contacts', [
      { email: 'odd@status.example', lastname: 'Odd', hs_lead_status: 'SOMETHING_ELSE' },
    ]);
    const ran = await sync();
    expect(ran.stderr).toContain(
      '1 records held, 0 writes refused, 0 field issues: see crm-bridge quarantine',
    );
    expect(ran.code).toBe(1);
    h.hs.touch('contacts', [String(h.hs.store.all('contacts')[0]?.id)], { fields: { lastname: 'Odder' } });
    expect((await sync('--allow-held')).code).toBe(0);
  });
});
