import type { Kysely } from 'kysely';
import type { EntityName } from '../model/index.ts';
import { type ExternalKey, keyOf } from './external-key.ts';
import type { NewQuarantineEntry, QuarantineEntry, QuarantineKind } from './quarantine.ts';
import { chunks, isOneOf, now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';

/* The quarantine on Kysely: what went wrong with records, until it is fixed. */

/**
 * Adds entries, or counts another attempt of the same record and field (and reopens it). With `settled`, first
 * resolves the open entries of those records that `entries` does not raise again.
 */
export async function quarantine(
  db: Kysely<Tables>,
  entries: readonly NewQuarantineEntry[],
  settled?: readonly ExternalKey[],
): Promise<void> {
  if (settled !== undefined) await settle(db, settled, entries);
  await raise(db, entries);
}

/** Adds entries, or counts another attempt of the same record and field (and reopens it). */
async function raise(db: Kysely<Tables>, entries: readonly NewQuarantineEntry[]): Promise<void> {
  const seen = now();
  for (const part of chunks(onePerField(entries))) {
    await db
      .insertInto('quarantine')
      .values(
        part.map((e) => ({
          entity: e.entity,
          connection: e.connection,
          object: e.object,
          external_id: e.externalId,
          field: e.field,
          kind: e.kind ?? 'held',
          value: e.value === undefined ? null : JSON.stringify(e.value),
          reason: e.reason,
          first_seen: seen,
          last_seen: seen,
          attempts: 1,
          resolved_at: null,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['connection', 'object', 'external_id', 'field']).doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          kind: eb.ref('excluded.kind'),
          reason: eb.ref('excluded.reason'),
          last_seen: eb.ref('excluded.last_seen'),
          attempts: eb(eb.ref('quarantine.attempts'), '+', 1),
          resolved_at: null,
        })),
      )
      .execute();
  }
}

const SEVERITY: Readonly<Record<string, number>> = { held: 2, refused: 1, field: 0 };

/**
 * One entry per record and field, as the table keeps them: a round may raise a field twice (a value that does not
 * map, then no match key to create by), and one insert may not touch a row twice (PostgreSQL refuses it). The most
 * severe kind wins (a record held over a write refused over a field left out), then the last raised.
 */
function onePerField(entries: readonly NewQuarantineEntry[]): NewQuarantineEntry[] {
  const kept = new Map<string, NewQuarantineEntry>();
  for (const entry of entries) {
    const key = `${keyOf(entry)}\u0000${entry.field}`;
    const before = kept.get(key);
    const rank = (e: NewQuarantineEntry) => SEVERITY[e.kind ?? 'held'] ?? 0;
    if (before === undefined || rank(entry) >= rank(before)) kept.set(key, entry);
  }
  return [...kept.values()];
}

/**
 * Resolves the open entries of records read again whose cause is gone: those `still` does not raise again. A
 * record that now maps, or a value map fixed for good, clears its entries without a replay.
 */
async function settle(
  db: Kysely<Tables>,
  records: readonly ExternalKey[],
  still: readonly NewQuarantineEntry[],
): Promise<void> {
  const raised = new Set(still.map((e) => `${keyOf(e)}\u0000${e.field}`));
  const resolvedAt = now();
  for (const part of chunks(records)) {
    const open = await db
      .selectFrom('quarantine')
      .select(['id', 'connection', 'object', 'external_id', 'field'])
      .where('resolved_at', 'is', null)
      .where(isOneOf(part))
      .execute();
    const gone = open
      .filter(
        (r) =>
          !raised.has(
            `${keyOf({ connection: r.connection, object: r.object, externalId: r.external_id })}\u0000${r.field}`,
          ),
      )
      .map((r) => Number(r.id));
    if (gone.length > 0)
      await db.updateTable('quarantine').set({ resolved_at: resolvedAt }).where('id', 'in', gone).execute();
  }
}

/** The records among these that an open `held` entry sets aside, keyed `connection/object/externalId`. */
export async function heldAmong(db: Kysely<Tables>, keys: readonly ExternalKey[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(keys)) {
    const rows = await db
      .selectFrom('quarantine')
      .select(['connection', 'object', 'external_id'])
      .where('resolved_at', 'is', null)
      .where('kind', '=', 'held')
      .where(isOneOf(part))
      .execute();
    for (const r of rows)
      out.add(keyOf({ connection: r.connection, object: r.object, externalId: r.external_id }));
  }
  return out;
}

/** The entries, oldest first; resolved ones only when asked. */
export async function listQuarantine(
  db: Kysely<Tables>,
  options: { includeResolved?: boolean; limit?: number } = {},
): Promise<QuarantineEntry[]> {
  let query = db
    .selectFrom('quarantine')
    .selectAll()
    .orderBy('id')
    .limit(options.limit ?? 1000);
  if (!options.includeResolved) query = query.where('resolved_at', 'is', null);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    entity: r.entity as EntityName,
    kind: r.kind as QuarantineKind,
    connection: r.connection,
    object: r.object,
    externalId: r.external_id,
    field: r.field,
    value: r.value === null ? undefined : (JSON.parse(r.value) as unknown),
    reason: r.reason,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    attempts: Number(r.attempts),
    ...(r.resolved_at === null ? {} : { resolvedAt: r.resolved_at }),
  }));
}

/** Marks entries resolved (after the cause was fixed). */
export async function resolveQuarantine(db: Kysely<Tables>, ids: readonly number[]): Promise<void> {
  const resolvedAt = now();
  for (const part of chunks(ids)) {
    await db.updateTable('quarantine').set({ resolved_at: resolvedAt }).where('id', 'in', part).execute();
  }
}

/** How many entries are open. */
export async function countQuarantine(db: Kysely<Tables>): Promise<number> {
  const row = await db
    .selectFrom('quarantine')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
