import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/store/index.ts';
import { openStore, StoreUnavailable } from '../../src/store/open-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-open-store-'));
writeFileSync(join(dir, 'a-file'), 'a file\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('redactUrl', () => {
  it.each([
    ['postgres://admin:hunter2@db:5432/crm', 'postgres://admin:***@db:5432/crm'],
    ['redis://:hunter2@cache:6379', 'redis://:***@cache:6379'],
    ['postgres://admin:hunt@r2@db/crm', 'postgres://admin:***@db/crm'],
    [
      'postgres://db/crm?user=admin&password=hunter2&sslmode=require',
      'postgres://db/crm?user=admin&password=***&sslmode=require',
    ],
    ['postgres://admin@db/crm', 'postgres://admin@db/crm'],
    ['redis://cache:6379', 'redis://cache:6379'],
    ['sqlite:./data/crm-bridge.db', 'sqlite:./data/crm-bridge.db'],
  ])('%s → %s', (url, safe) => {
    expect(redactUrl(url)).toBe(safe);
  });
});

describe('openStore', () => {
  it('makes the folders a SQLite file needs, one at a time', async () => {
    const file = join(dir, 'a', 'b', 'state.db');
    const store = await openStore(`sqlite:${file}`);
    await store.close();
    expect(existsSync(file)).toBe(true);
  });

  it.each([
    [
      'mysql://admin:hunter2@db/crm',
      /^DATABASE_URL must start with sqlite: or postgres:\/\/; got "mysql:\/\/admin:\*\*\*@db\/crm"/,
    ],
    ['sqlite:', /^DATABASE_URL sqlite: needs a path/],
    [`sqlite:${dir}`, / is a folder; name a file in it/],
    [`sqlite:${join(dir, 'a-file', 'x.db')}`, / is a file, not a folder; /],
    ['postgres://admin:hunter2@[db', /^DATABASE_URL is not a valid URL: "postgres:\/\/admin:\*\*\*@\[db"/],
    [
      'postgres://admin:hunter2@127.0.0.1:1/crm',
      /^the state store at postgres:\/\/admin:\*\*\*@127\.0\.0\.1:1\/crm could not be reached \(connect ECONNREFUSED/,
    ],
  ])('refuses %s with a StoreUnavailable that says why', async (url, message) => {
    const opened = openStore(url);
    await expect(opened).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(opened).rejects.toThrow(message);
    await expect(opened).rejects.not.toThrow(/hunter2/);
  });
});
