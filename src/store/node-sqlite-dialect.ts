import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';

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

/** Kysely's SQLite dialect over Node's built-in node:sqlite (no native module to build). */
export function nodeSqliteDialect(path: string): SqliteDialect {
  return new SqliteDialect({
    database: async (): Promise<SqliteDatabase> => {
      const db = new DatabaseSync(path);
      // WAL lets readers (status, quarantine listing) run while a sync writes; the busy timeout waits out a
      // second process's write instead of failing at once.
      db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
      return { close: () => db.close(), prepare: (sql) => statement(db.prepare(sql)) };
    },
  });
}
