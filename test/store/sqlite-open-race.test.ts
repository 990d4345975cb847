import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { sqliteDatabase } from '../support/databases.ts';

const run = promisify(execFile);
const OPEN = resolve('src/store/index.ts');

/** Opens the store in a process of its own (as a worker or `crm-bridge status` does) and says whether it could. */
const openElsewhere = (url: string) =>
  run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { openStore } = await import(${JSON.stringify(OPEN)}); const s = await openStore(${JSON.stringify(url)}); await s.close(); console.log('opened');`,
    ],
    { timeout: 30_000 },
  ).then(
    ({ stdout }) => stdout.trim(),
    (error: { stderr?: string }) => error.stderr?.split('\n').find((l) => /Error/.test(l)) ?? String(error),
  );

describe('a new SQLite store opened by several processes at once', () => {
  it('is migrated once, by whichever comes first; the others wait and find it done', async () => {
    for (let round = 0; round < 3; round++) {
      const db = sqliteDatabase();
      try {
        const results = await Promise.all(Array.from({ length: 6 }, () => openElsewhere(db.url)));
        expect(results).toEqual(Array(6).fill('opened'));
        const store = await openStore(db.url);
        await store.saveCursor('sf', 'Lead', { modifiedAt: '2026-12-01T00:00:00.000Z', id: '' });
        expect(await store.getCursor('sf', 'Lead')).toMatchObject({ modifiedAt: '2026-12-01T00:00:00.000Z' });
        await store.close();
      } finally {
        await db.drop();
      }
    }
  }, 120_000);
});
