import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { ExternalKey } from './external-key.ts';

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const now = () => new Date().toISOString();

/** `(connection, object, external_id) IN (…)`: the rows of these external records, in either keyed table. */
export function isOneOf(keys: readonly ExternalKey[]): RawBuilder<SqlBool> {
  const rows = keys.map((k) => sql`(${k.connection}, ${k.object}, ${k.externalId})`);
  return sql<SqlBool>`(connection, object, external_id) in (${sql.join(rows)})`;
}
