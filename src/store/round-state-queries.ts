import { type Kysely, type SqlBool, sql } from 'kysely';
import type { RoundStateEntry } from './round-state.ts';
import { chunks, now } from './sql-helpers.ts';
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

/** The round's saved parts whose key starts with `keyPrefix`, by key. */
export async function roundState(
  db: Kysely<Tables>,
  runId: string,
  keyPrefix: string,
): Promise<RoundStateEntry[]> {
  const rows = await db
    .selectFrom('round_state')
    .select(['key', 'body'])
    .where('run_id', '=', runId)
    .where(sql<SqlBool>`substr(key, 1, ${keyPrefix.length}) = ${keyPrefix}`)
    .orderBy('key')
    .execute();
  return rows.map((row) => ({ key: row.key, body: JSON.parse(row.body) as unknown }));
}

/** The round's saved parts under exactly these keys, by key (keys not saved are left out). */
export async function roundStateAt(
  db: Kysely<Tables>,
  runId: string,
  keys: readonly string[],
): Promise<RoundStateEntry[]> {
  const out: RoundStateEntry[] = [];
  for (const part of chunks([...new Set(keys)])) {
    const rows = await db
      .selectFrom('round_state')
      .select(['key', 'body'])
      .where('run_id', '=', runId)
      .where('key', 'in', part)
      .execute();
    for (const row of rows) out.push({ key: row.key, body: JSON.parse(row.body) as unknown });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Drops the round's saved parts under exactly these keys. */
export async function dropRoundStateAt(
  db: Kysely<Tables>,
  runId: string,
  keys: readonly string[],
): Promise<void> {
  for (const part of chunks([...new Set(keys)]))
    await db.deleteFrom('round_state').where('run_id', '=', runId).where('key', 'in', part).execute();
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
