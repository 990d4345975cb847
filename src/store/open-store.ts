import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { KyselyStore } from './kysely-store.ts';
import { migrateToLatest } from './migrations.ts';
import { nodeSqliteDialect } from './node-sqlite-dialect.ts';
import type { Store } from './store.ts';
import type { Tables } from './tables.ts';

/**
 * Opens the state store named by a DATABASE_URL and brings its schema up to date.
 * - `sqlite:<path>` (or `sqlite::memory:`): one file on this machine, the embedded default;
 * - `postgres://…`: shared by workers on several machines. `?schema=<name>` keeps the tables in that schema
 *   (created if missing), so several deployments or test runs can share one database.
 */
export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new Error('DATABASE_URL sqlite: needs a path, e.g. sqlite:./data/crm-bridge.db');
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Kysely<Tables>({ dialect: nodeSqliteDialect(path) });
    await migrateToLatest(db as Kysely<unknown>);
    return new KyselyStore(db, 'sqlite');
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema');
    parsed.searchParams.delete('schema');
    if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
      throw new Error(`DATABASE_URL schema must be lower-case letters, digits and _; got "${schema}"`);
    }
    if (schema !== null) {
      const admin = new pg.Client({ connectionString: parsed.toString() });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      } finally {
        await admin.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: parsed.toString(),
      max: 5,
      ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
    });
    const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
    const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    await migrateToLatest(db as Kysely<unknown>, schema ?? current.rows[0]?.schema ?? 'public');
    return new KyselyStore(db, 'postgres');
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres://; got "${redactUrl(url)}"`);
}

/** A URL safe to print: any password is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}
