import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureOutput } from '../../src/cli/output.ts';
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
    ]);
    await store.close();
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    await db.drop();
  });

  it('lists each quarantined record with its field, value and reason', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'quarantine'], output)).toBe(0);
    expect(output.stdout).toMatch(
      /^#1 person hs contacts 501 email = "ada@@example": email: invalid e-mail \[1×, last \d{4}-\d\d-\d\dT[\d:.]+Z\]\n1 quarantined record\n$/,
    );
  });

  it('prints JSON for machines', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'quarantine', '--json'], output)).toBe(0);
    expect(JSON.parse(output.stdout)).toMatchObject([{ externalId: '501', field: 'email', attempts: 1 }]);
  });

  it('refuses a bad --limit', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'quarantine', '--limit', 'ten'], output)).toBe(2);
    expect(output.stderr).toContain('--limit expects a positive integer; got "ten"');
  });
});
