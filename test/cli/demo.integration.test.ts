import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { openStore } from '../../src/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crm-bridge demo', () => {
  it('syncs its own data with nothing held or refused, and says where the field issues left are', async () => {
    const database = join(dir, 'demo.db');
    const output = captureOutput();
    const code = await main(['node', 'crm-bridge', 'demo', '--database', database], output);
    expect(output.stderr).toBe('');
    expect(code).toBe(0);
    const { stdout } = output;

    // The sandboxes start as a new org and a new portal: setup creates what the config writes before the first round.
    expect(stdout).toMatch(/^0\. Setup: .*\nsf \(salesforce\): created \d+ fields\n/m);
    expect(stdout).toMatch(/^hs \(hubspot\): created \d+ properties$/m);
    expect(stdout.indexOf('0. Setup')).toBeLessThan(stdout.indexOf('1. Initial sync'));

    // Every round says what the quarantine holds: never a held record or a refused write.
    const rounds = stdout.match(/^quarantine after this round: .*$/gm);
    expect(rounds).toEqual(
      Array(4).fill('quarantine after this round: 0 held records, 0 refused writes, 2 field issues'),
    );
    // Every HubSpot deal (each seeded with a close date) became a Salesforce Opportunity, and the reverse.
    const opportunities = /^Salesforce now: .*, (\d+) opportunities/m.exec(stdout)?.[1];
    const deals = /^HubSpot now: .*, (\d+) deals/m.exec(stdout)?.[1];
    // The seeded ones (10 + 8) and one for each of the 4 people who are sales-ready and accepted by a rep (Lead
    // Status working), whom the default policy converts (DEFINITIONS, "Conversion": a person checks).
    expect(stdout).toMatch(/^ {2}conversions: 4,/m);
    expect(opportunities).toBe('22');
    expect(deals).toBe(opportunities);
    const idle = stdout.slice(stdout.indexOf('\n3. Again'), stdout.indexOf('\n4. '));
    expect(idle.match(/^ {2}(created|updated): .*$/gm)).toEqual(
      Array(3).fill(['  created: none', '  updated: none']).flat(),
    );

    // The field issues left are values a new HubSpot portal has no counterpart for; the output says where to read them.
    expect(stdout).toContain(
      'Quarantine: 0 held records, 0 refused writes, 2 field issues. State store: ' +
        `${database}\nField issues (the records synced without these values):\n` +
        '  account sf Account type = "customer": 2 records: type: unknown value "customer" for value map accountType (creating hs companies)\n' +
        `Read them: DATABASE_URL=sqlite:${database} npx crm-bridge quarantine\n`,
    );
    const store = await openStore(`sqlite:${database}`);
    try {
      const entries = await store.listQuarantine();
      expect(entries.map((e) => [e.kind, e.connection, e.object, e.field, e.value])).toEqual([
        ['field', 'sf', 'Account', 'type', 'customer'],
        ['field', 'sf', 'Account', 'type', 'customer'],
      ]);
    } finally {
      await store.close();
    }
  });
});
