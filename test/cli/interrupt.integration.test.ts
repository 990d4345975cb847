import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

const BIN = fileURLToPath(new URL('../../bin/crm-bridge.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LEADS = 2000;

/**
 * Ctrl-C during `crm-bridge sync --once`, sent to the real command as a signal while HubSpot paces its writes: the
 * round stops after the writes in flight, says what landed, is logged as interrupted and exits 130; the next round
 * finishes the work with every person once on each side.
 */
describe('SIGINT during crm-bridge sync --once', () => {
  let h: SyncHarness;
  let dir: string;
  let config: string;
  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
    dir = mkdtempSync(join(tmpdir(), 'crm-bridge-interrupt-'));
    config = join(dir, 'crm-bridge.yaml');
    writeFileSync(config, readFileSync('config/example.yaml', 'utf8'));
    copyFileSync('config/policy.default.yaml', join(dir, 'policy.default.yaml'));
    h.sf.seed(
      'Lead',
      Array.from({ length: LEADS }, (_, i) => ({
        LastName: `Stop${i}`,
        Company: `Stop Co ${i}`,
        Email: `stop.${i}@interrupt.example`,
      })),
    );
    // Two calls a second: HubSpot's creates of the Leads take a few seconds, batch after batch.
    h.hs.setRateLimits({ perWindow: 2, windowMs: 1000 });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  it('stops after the writes in flight, logs the run as interrupted, exits 130, and loses nothing', async () => {
    const child = spawn(process.execPath, [BIN, 'sync', '--once', '--config', config], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...h.env, DATABASE_URL: h.databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    // Ctrl-C once the first HubSpot contacts exist: the person entity is being pushed.
    const deadline = Date.now() + 45_000;
    while (h.hs.store.all('contacts').length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const sentAt = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    clearTimeout(kill);
    const stoppedMs = Date.now() - sentAt;

    expect(code).toBe(130);
    expect(stderr).toContain('SIGINT: stopping after the writes in flight');
    expect(stderr).toMatch(
      /crm-bridge: round interrupted by SIGINT: account, opportunity recorded, \d+ writes landed/,
    );
    expect(stderr).toContain('the next round reads the same window again');
    expect(stderr).not.toMatch(/\n\s+at /);
    // It stopped early: not every Lead reached HubSpot, and it did not wait for them.
    const landed = h.hs.store.all('contacts').length;
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(LEADS);
    expect(stoppedMs).toBeLessThan(30_000);
    const [run] = await h.store.listRuns(1);
    expect(run?.status).toBe('interrupted');

    // The next round finishes the work: each Lead once in HubSpot, nothing created twice.
    h.hs.setRateLimits({ perWindow: 10_000, windowMs: 10_000 });
    const saved = { ...process.env };
    Object.assign(process.env, h.env, { DATABASE_URL: h.databaseUrl });
    try {
      const output = captureOutput();
      const again = await main(['node', 'crm-bridge', 'sync', '--once', '--config', config], output);
      expect(again).toBe(0);
    } finally {
      process.env = saved;
    }
    const emails = h.hs.store
      .all('contacts')
      .map((c) => String(c.properties.email))
      .filter((e) => e.endsWith('@interrupt.example'));
    expect(emails.length).toBe(LEADS);
    expect(new Set(emails).size).toBe(LEADS);
    expect((await h.store.listRuns(1))[0]?.status).toBe('succeeded');
  }, 120_000);
});
