import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { openStore } from '../../src/store/index.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';

/** A person as the round leaves them: a Lead in Salesforce, a contact in HubSpot, proposed since `since`. */
const PROPOSED = (first: string, email: string, since: string) => ({
  kind: 'lead',
  firstName: first,
  lastName: 'Example',
  email,
  title: 'VP Operations',
  address: { country: 'US' },
  industry: 'technology',
  employees: 300,
  firstConversion: 'E-book',
  recentConversion: 'Request a demo',
  conversionCount: 2,
  leadStatus: 'new',
  lifecycleStage: 'lead',
  conversionProposal: 'proposed',
  conversionProposedAt: since,
});

describe('crm-bridge conversions', () => {
  let db: TestDatabase;
  let saved: NodeJS.ProcessEnv;
  beforeEach(async () => {
    db = sqliteDatabase();
    saved = { ...process.env };
    process.env.DATABASE_URL = db.url;
    const store = await openStore(db.url);
    await store.saveSnapshots([
      {
        unifiedId: 'u-ada',
        entity: 'person',
        data: PROPOSED('Ada', 'ada@example.com', '2026-11-20T09:00:00.000Z'),
      },
      {
        unifiedId: 'u-bob',
        entity: 'person',
        data: PROPOSED('Bob', 'bob@example.com', '2026-11-10T09:00:00.000Z'),
      },
      {
        unifiedId: 'u-cy',
        entity: 'person',
        data: { ...PROPOSED('Cy', 'cy@example.com', ''), conversionProposal: null },
      },
    ]);
    await store.link([
      { entity: 'person', unifiedId: 'u-ada', connection: 'sf', object: 'Lead', externalId: '00Q1' },
      { entity: 'person', unifiedId: 'u-ada', connection: 'hs', object: 'contacts', externalId: '101' },
      { entity: 'person', unifiedId: 'u-bob', connection: 'hs', object: 'contacts', externalId: '102' },
      { entity: 'person', unifiedId: 'u-cy', connection: 'hs', object: 'contacts', externalId: '103' },
    ]);
    await store.setMatchKeys('person', 'u-ada', { email: ['ada@example.com'] });
    await store.setMatchKeys('person', 'u-cy', { email: ['cy@example.com'] });
    await store.close();
  });
  afterEach(async () => {
    process.env = saved;
    await db.drop();
  });

  const run = async (...args: string[]) => {
    const output = captureOutput();
    const code = await main(['node', 'crm-bridge', 'conversions', ...args], output);
    return { code, ...output };
  };

  it('lists the people waiting for a rep, the longest waiting first, with why and since when', async () => {
    const { code, stdout } = await run('--config', 'config/example.yaml');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'u-bob  Bob Example <bob@example.com>',
        '  records  hs contacts 102',
        '  why      sales-ready: fits and took a sales action (demoRequest)',
        '  since    2026-11-10T09:00:00.000Z',
        'u-ada  Ada Example <ada@example.com>',
        '  records  sf Lead 00Q1, hs contacts 101',
        '  why      sales-ready: fits and took a sales action (demoRequest)',
        '  since    2026-11-20T09:00:00.000Z',
        '2 people proposed; accept with crm-bridge conversions accept <unified id | e-mail> (or in the CRM), and the next round converts',
        '',
      ].join('\n'),
    );
    const json = await run('--json', '--limit', '1', '--config', 'config/example.yaml');
    expect(JSON.parse(json.stdout)).toEqual([
      {
        unifiedId: 'u-bob',
        name: 'Bob Example',
        email: 'bob@example.com',
        records: [{ connection: 'hs', object: 'contacts', id: '102' }],
        why: 'sales-ready: fits and took a sales action (demoRequest)',
        since: '2026-11-10T09:00:00.000Z',
      },
    ]);
  });

  it('records an acceptance by e-mail or unified id, and says whether the person is proposed now', async () => {
    const accepted = await run('accept', 'Ada@Example.com', 'u-cy', '--json');
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout)).toEqual([
      { ok: true, who: 'Ada@Example.com', unifiedId: 'u-ada', name: 'Ada Example', proposed: true },
      { ok: true, who: 'u-cy', unifiedId: 'u-cy', name: 'Cy Example', proposed: false },
    ]);
    const text = await run('reject', 'u-bob');
    expect(text.stdout).toBe(
      'u-bob (Bob Example): declined; no longer proposed after the next round (a rep may still accept it in the CRM)\n',
    );
    const store = await openStore(db.url);
    try {
      const decisions = await store.approvalsOf(['u-ada', 'u-bob', 'u-cy']);
      expect([...decisions.values()].map((d) => [d.unifiedId, d.decision]).sort()).toEqual([
        ['u-ada', 'accepted'],
        ['u-bob', 'rejected'],
        ['u-cy', 'accepted'],
      ]);
    } finally {
      await store.close();
    }
  });

  it('says what is wrong with its arguments, its config or its store, and records nothing then', async () => {
    expect(await run('--limit', '0')).toMatchObject({
      code: 2,
      stderr: '--limit expects a positive integer; got "0"\n',
    });
    expect((await run('accept')).code).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-conversions-'));
    const config = join(dir, 'crm-bridge.yaml');
    writeFileSync(config, readFileSync('config/example.yaml', 'utf8').replace('sync:\n', 'sink:\n'));
    const broken = await run('--config', config).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(new RegExp(`^${config.replaceAll('\\', '\\\\')}:\\d+:\\d+ `));
    process.env.DATABASE_URL = 'mysql://rep:s3cret@db.example.com/crm';
    const unreachable = await run('accept', 'ada@example.com');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('DATABASE_URL');
    expect(unreachable.stderr).not.toContain('s3cret');
  });
});
