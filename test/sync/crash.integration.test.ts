import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeedGenerator } from '../../sandboxes/salesforce/index.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

const LEADS = 1200;

describe.each(ENGINES)('a sync process killed mid-round, state on %s', (_engine, database) => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startHarness(database());
    h.sf.seed('Lead', new SeedGenerator(5).leads(LEADS));
  });
  afterEach(async () => {
    await h.close();
  });

  it('is followed by rounds that end with every record once on each side: no duplicates, nothing lost', async () => {
    const child = spawn(
      process.execPath,
      ['bin/crm-bridge.js', 'sync', '--once', '--config', 'config/example.yaml'],
      {
        env: { ...process.env, ...h.env, DATABASE_URL: h.databaseUrl },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    // SIGKILL as soon as HubSpot holds some of the round's creates, but not all: the round dies mid-write.
    const deadline = Date.now() + 60_000;
    while (h.hs.count('contacts') === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const written = h.hs.count('contacts');
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(LEADS);

    await runSync(await h.context());
    await runSync(await h.context());

    const emails = h.hs.store.all('contacts').map((c) => c.properties.email);
    expect(emails).toHaveLength(LEADS);
    expect(new Set(emails).size).toBe(LEADS);
    expect(h.sf.count('Lead')).toBe(LEADS);
    // Sales-ready leads were converted: one Contact per converted Lead, each linked to that person.
    const converted = [...h.sf.store.all('Lead')].filter((l) => l.IsConverted === true);
    expect(h.sf.count('Contact')).toBe(converted.length);
    const contactLinks = await h.store.findLinks(
      converted.map((l) => ({
        connection: 'sf',
        object: 'Contact',
        externalId: String(l.ConvertedContactId),
      })),
    );
    expect(contactLinks.size).toBe(converted.length);
    const links = await h.store.findLinks(
      h.hs.store.all('contacts').map((c) => ({ connection: 'hs', object: 'contacts', externalId: c.id })),
    );
    expect(links.size).toBe(LEADS);
  });
});
