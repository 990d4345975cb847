import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { ExternalKey } from './external-key.ts';

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
export const CHUNK = 500;

/** The database a store's queries are written for, where their SQL differs. */
export type Engine = 'sqlite' | 'postgres';

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const now = () => new Date().toISOString();

/**
 * The rows of these external records, in either keyed table: per connection and object, `external_id IN (…)`, so
 * that both engines look each one up in the key's index (a row-value `IN` list of hundreds of tuples is read by
 * PostgreSQL as a scan of the whole table).
 */
export function isOneOf(keys: readonly ExternalKey[]): RawBuilder<SqlBool> {
  const groups = Map.groupBy(keys, (k) => `${k.connection}\u0000${k.object}`);
  const terms = [...groups.values()].map((group) => {
    const { connection, object } = group[0] as ExternalKey;
    const ids = sql.join([...new Set(group.map((k) => k.externalId))].map((id) => sql`${id}`));
    return sql`(connection = ${connection} and object = ${object} and external_id in (${ids}))`;
  });
  return terms.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`(${sql.join(terms, sql` or `)})`;
}
