import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';

/** PostgreSQL for tests: loopback, trust auth, database `test` (override with TEST_POSTGRES_URL). */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database each test suite can own: a fresh SQLite file, or a fresh PostgreSQL schema; `drop` removes it. */
export interface TestDatabase {
  readonly engine: 'sqlite' | 'postgres';
  readonly url: string;
  /** Rows of one SQL query on the database, beside the store (to look at its tables). */
  query<Row = Record<string, unknown>>(text: string): Promise<Row[]>;
  drop(): Promise<void>;
}

export function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-store-'));
  return {
    engine: 'sqlite',
    url: `sqlite:${join(dir, 'state.db')}`,
    query: async <Row>(text: string) => {
      const db = new DatabaseSync(join(dir, 'state.db'));
      try {
        return db
          .prepare(text)
          .all()
          .map((row) => ({ ...row }) as Row);
      } finally {
        db.close();
      }
    },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function postgresDatabase(): TestDatabase {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    engine: 'postgres',
    url: `${POSTGRES_URL}?schema=${schema}`,
    query: async <Row>(text: string) => {
      const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        return (await client.query(text)).rows as Row[];
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Both engines, for `describe.each`. */
export const ENGINES = [
  ['sqlite', sqliteDatabase],
  ['postgres', postgresDatabase],
] as const;
