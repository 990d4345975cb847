import { type Kysely, type SqlBool, sql } from 'kysely';
import type { RoundStateEntry } from './round-state.ts';
import { chunks, type Engine, now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';

/* Rounds' work in progress on Kysely: JSON bodies by run id and key. */

/** Saves parts of a round's work in progress, replacing those with the same key. */
export async function saveRoundState(
  db: Kysely<Tables>,
  runId: string,
  entries: readonly RoundStateEntry[],
): Promise<void> {
  const savedAt = now();
  for (const part of chunks(entries, 100)) {
    await db
      .insertInto('round_state')
      .values(
        part.map((e) => ({ run_id: runId, key: e.key, body: JSON.stringify(e.body), saved_at: savedAt })),
      )
      .onConflict((oc) =>
        oc.columns(['run_id', 'key']).doUpdateSet((eb) => ({
          body: eb.ref('excluded.body'),
          saved_at: eb.ref('excluded.saved_at'),
        })),
      )
      .execute();
  }
}

/**
 * The keys that start with `prefix`, as a range of the primary key (`key >= prefix and key < next`): compared byte
 * by byte (SQLite's text, and the key's own collation "C" on PostgreSQL), so both engines read the range from the
 * key's index. Undefined for a prefix the range cannot express (empty, or ending past ASCII): then every row of the
 * run is read and filtered.
 */
function prefixRange(prefix: string): { from: string; to: string } | undefined {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (prefix === '' || last >= 0x7f) return undefined;
  return { from: prefix, to: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}

/** The round's saved parts whose key starts with `keyPrefix`, by key. */
export async function roundState(
  db: Kysely<Tables>,
  runId: string,
  keyPrefix: string,
): Promise<RoundStateEntry[]> {
  const range = prefixRange(keyPrefix);
  const rows = await db
    .selectFrom('round_state')
    .select(['key', 'body'])
    .where('run_id', '=', runId)
    .where((eb) =>
      range === undefined
        ? sql<SqlBool>`substr(key, 1, ${keyPrefix.length}) = ${keyPrefix}`
        : eb.and([eb('key', '>=', range.from), eb('key', '<', range.to)]),
    )
    .orderBy('key')
    .execute();
  return rows.map((row) => ({ key: row.key, body: JSON.parse(row.body) as unknown }));
}

/**
 * The keys of a run among `keys`, for a lookup or a delete. PostgreSQL plans `key in (…)` from its statistics, and
 * a round's rows are written faster than it gathers them: it took the run's rows from the index by run id and
 * filtered every one of them against the list, so reading a slice's records scanned the whole window each time.
 * Joined to the list as a set, each key is found through the primary key. SQLite looks each key of the list up.
 */
const keysOf = (engine: Engine, runId: string, keys: readonly string[]) =>
  engine === 'postgres'
    ? sql<SqlBool>`(run_id, key) in (select ${runId}, k from unnest(${[...keys]}::text[]) as k)`
    : sql<SqlBool>`run_id = ${runId} and key in (${sql.join([...keys])})`;

/** The round's saved parts under exactly these keys, by key (keys not saved are left out). */
export async function roundStateAt(
  db: Kysely<Tables>,
  engine: Engine,
  runId: string,
  keys: readonly string[],
): Promise<RoundStateEntry[]> {
  const out: RoundStateEntry[] = [];
  for (const part of chunks([...new Set(keys)])) {
    const rows = await db
      .selectFrom('round_state')
      .select(['key', 'body'])
      .where(keysOf(engine, runId, part))
      .execute();
    for (const row of rows) out.push({ key: row.key, body: JSON.parse(row.body) as unknown });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Drops the round's saved parts under exactly these keys. */
export async function dropRoundStateAt(
  db: Kysely<Tables>,
  engine: Engine,
  runId: string,
  keys: readonly string[],
): Promise<void> {
  for (const part of chunks([...new Set(keys)]))
    await db
      .deleteFrom('round_state')
      .where(keysOf(engine, runId, part))
      .execute();
}

/** Drops a round's saved parts, and those of rounds last touched before `staleBefore`. */
export async function dropRoundState(db: Kysely<Tables>, runId: string, staleBefore?: Date): Promise<void> {
  await db
    .deleteFrom('round_state')
    .where((eb) =>
      staleBefore === undefined
        ? eb('run_id', '=', runId)
        : eb.or([eb('run_id', '=', runId), eb('saved_at', '<', staleBefore.toISOString())]),
    )
    .execute();
}
