import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  type DialectAdapter,
  type Kysely,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
  sql,
} from 'kysely';

/** node:sqlite binds only null, numbers, bigints, strings and bytes: booleans become 0/1, dates ISO text. */
function bindable(values: readonly unknown[]): SQLInputValue[] {
  return values.map((value) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString();
    if (value === undefined) return null;
    return value as SQLInputValue;
  });
}

function statement(prepared: StatementSync): SqliteStatement {
  return {
    reader: prepared.columns().length > 0,
    all: (parameters) => prepared.all(...bindable(parameters)),
    run: (parameters) => {
      const { changes, lastInsertRowid } = prepared.run(...bindable(parameters));
      return { changes, lastInsertRowid };
    },
    iterate: (parameters) => prepared.iterate(...bindable(parameters)),
  };
}

/**
 * Migrations under SQLite's write lock. Kysely's SQLite adapter takes no lock, as one process has one connection;
 * but several processes may open a new store file at once (a worker and `crm-bridge status`, three workers), and
 * each would then create the same tables. `BEGIN IMMEDIATE` makes each wait (the busy timeout) until the first has
 * migrated, after which it finds nothing left to do.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  readonly #held = new WeakSet<object>();

  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`begin immediate`.execute(db);
    this.#held.add(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    // Not taken (the lock wait timed out): nothing to release, and the wait's error is the one to see.
    if (!this.#held.delete(db)) return;
    await sql`commit`.execute(db);
  }
}

class LockingSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter();
  }
}

/** Kysely's SQLite dialect over Node's built-in node:sqlite (no native module to build). */
export function nodeSqliteDialect(path: string): SqliteDialect {
  return new LockingSqliteDialect({
    database: async (): Promise<SqliteDatabase> => {
      const db = new DatabaseSync(path);
      // WAL lets readers (status, quarantine listing) run while a sync writes; the busy timeout waits out a
      // second process's write instead of failing at once (set first: switching to WAL may wait for one too).
      db.exec('PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;');
      return { close: () => db.close(), prepare: (sql) => statement(db.prepare(sql)) };
    },
  });
}
