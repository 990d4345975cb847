import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { openStore } from '../../src/store/index.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';

describe('crm-bridge quarantine', () => {
  let db: TestDatabase;
  let saved: string | undefined;
  beforeEach(async () => {
    db = sqliteDatabase();
    saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = db.url;
    const store = await openStore(db.url);
    await store.quarantine([
      {
        entity: 'person',
        connection: 'hs',
        object: 'contacts',
        externalId: '501',
        field: 'email',
        value: 'ada@@example',
        reason: 'email: invalid e-mail',
      },
      ...['0011', '0012', '0013'].map((externalId) => ({
        entity: 'account' as const,
        kind: 'field' as const,
        connection: 'sf',
        object: 'Account',
        externalId,
        field: 'industry',
        value: 'Energy',
        reason: 'Industry: unknown value "Energy" for value map industry',
      })),
      {
        entity: 'account',
        kind: 'field',
        connection: 'hs',
        object: 'companies',
        externalId: '77',
        field: 'industry',
        value: 'MACHINERY',
        reason: 'industry: unknown value "MACHINERY" for value map industry',
      },
    ]);
    await store.close();
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    await db.drop();
  });

  it('lists held records one by one, and field issues grouped by field and value with counts', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'quarantine'], output)).toBe(0);
    const lines = output.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Held records: /);
    expect(lines[1]).toMatch(
      /^#1 person hs contacts 501 email = "ada@@example": email: invalid e-mail \[1×, last \d{4}-\d\d-\d\dT[\d:.]+Z\]$/,
    );
    expect(lines.slice(2)).toEqual([
      'Field issues: these records synced without the field named',
      'account sf Account industry = "Energy": 3 records (#2 #3 #4): Industry: unknown value "Energy" for value map industry',
      'account hs companies industry = "MACHINERY": 1 record (#5): industry: unknown value "MACHINERY" for value map industry',
      '1 held record, 0 refused writes, 4 field issues in 2 groups',
    ]);
  });

  it('prints JSON for machines', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'quarantine', '--json'], output)).toBe(0);
    expect(JSON.parse(output.stdout)).toMatchObject({
      held: [{ externalId: '501', field: 'email', attempts: 1, kind: 'held' }],
      refused: [],
      fieldIssues: [
        { field: 'industry', value: 'Energy', count: 3, ids: [2, 3, 4] },
        { field: 'industry', value: 'MACHINERY', count: 1 },
      ],
    });
  });

  it('refuses a bad --limit', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'quarantine', '--limit', 'ten'], output)).toBe(2);
    expect(output.stderr).toContain('--limit expects a positive integer; got "ten"');
  });
});
