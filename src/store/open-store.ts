import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { KyselyStore } from './kysely-store.ts';
import { migrateToLatest } from './migrations.ts';
import { nodeSqliteDialect } from './node-sqlite-dialect.ts';
import type { Store } from './store.ts';
import {
  EXAMPLE_DATABASE_URL,
  prepareSqliteFile,
  reasonOf,
  redactUrl,
  StoreUnavailable,
} from './store-location.ts';
import type { Tables } from './tables.ts';

export { redactUrl, StoreUnavailable } from './store-location.ts';

/** How long opening a PostgreSQL store waits for the server before saying it cannot be reached. */
export const STORE_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Opens the state store named by a DATABASE_URL and brings its schema up to date.
 * - `sqlite:<path>` (or `sqlite::memory:`): one file on this machine, the embedded default;
 * - `postgres://…`: shared by workers on several machines. `?schema=<name>` keeps the tables in that schema
 *   (created if missing), so several deployments or test runs can share one database.
 *
 * A store that cannot be opened (a URL it does not understand, a path it cannot write, a server that does not answer
 * within 5 s) rejects with a `StoreUnavailable` whose message says so in one line, password removed.
 */
export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) return openSqlite(url, url.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  throw new StoreUnavailable(
    `DATABASE_URL must start with sqlite: or postgres://; got "${redactUrl(url)}"; set it to e.g. ${EXAMPLE_DATABASE_URL}`,
  );
}

async function openSqlite(url: string, path: string): Promise<Store> {
  if (path === '')
    throw new StoreUnavailable(`DATABASE_URL sqlite: needs a path, e.g. ${EXAMPLE_DATABASE_URL}`);
  if (path !== ':memory:') prepareSqliteFile(url, path);
  const db = new Kysely<Tables>({ dialect: nodeSqliteDialect(path) });
  try {
    // node:sqlite opens the file on the first query: a file it cannot open or that is no database fails here.
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new StoreUnavailable(
      `the state store ${url} cannot be opened (${reasonOf(error)}); set DATABASE_URL to a SQLite file this user can write, e.g. ${EXAMPLE_DATABASE_URL}`,
      { cause: error },
    );
  }
  await migrateToLatest(db as Kysely<unknown>);
  return new KyselyStore(db, 'sqlite');
}

async function openPostgres(url: string): Promise<Store> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new StoreUnavailable(
      `DATABASE_URL is not a valid URL: "${redactUrl(url)}"; expected postgres://user:password@host:5432/database`,
      { cause: error },
    );
  }
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new StoreUnavailable(
      `DATABASE_URL schema must be lower-case letters, digits and _; got "${schema}"`,
    );
  }
  await reachPostgres(url, parsed.toString(), schema);
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: 5,
    ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
  });
  // A server restart or a dropped connection ends the clients, and pg emits that on the pool (an idle client) or on
  // the client itself (one checked out, e.g. for a transaction or a cursor): unheard, either would end the process.
  // The pool drops such a client by itself and the next query connects afresh; a query in flight rejects on its own.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  await migrateToLatest(db as Kysely<unknown>, schema ?? current.rows[0]?.schema ?? 'public');
  return new KyselyStore(db, 'postgres');
}

/** Error codes of a server that is not there (or not answering), as against one that refused the login. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Connects once with a time limit, and creates the schema if one is named. The pool's own connections have no such
 * limit (under load a query may wait longer than 5 s for a free one): this first connection is what says whether
 * the server is there at all.
 */
async function reachPostgres(url: string, connectionString: string, schema: string | null): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: STORE_CONNECT_TIMEOUT_MS });
  // An error after connecting (the server going away) rejects the query below; the event must not crash us.
  client.on('error', () => {});
  try {
    await client.connect();
    if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const unreachable =
      (typeof code === 'string' && UNREACHABLE.has(code)) ||
      error instanceof AggregateError ||
      /timeout|terminated/i.test(reasonOf(error));
    throw new StoreUnavailable(
      unreachable
        ? `the state store at ${redactUrl(url)} could not be reached (${reasonOf(error)}); start PostgreSQL there, or set DATABASE_URL to a server that answers`
        : `the state store at ${redactUrl(url)} could not be opened (${reasonOf(error)}); check the user, password and database in DATABASE_URL`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => {});
  }
}
