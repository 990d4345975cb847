import type { Kysely } from 'kysely';
import type { EntityName } from '../model/index.ts';
import { type ExternalKey, keyOf } from './external-key.ts';
import type { FieldSource } from './records.ts';
import { STAGE_FIELD, stageText } from './round-report.ts';
import { chunks, isOneOf, now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';

/* What each record last held, on Kysely: written hashes, provenance, snapshots. */

/** The hash of what was last written to each record, keyed `connection/object/externalId`. */
export async function writtenHashes(
  db: Kysely<Tables>,
  keys: readonly ExternalKey[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks(keys)) {
    const rows = await db.selectFrom('written').selectAll().where(isOneOf(part)).execute();
    for (const r of rows)
      out.set(keyOf({ connection: r.connection, object: r.object, externalId: r.external_id }), r.hash);
  }
  return out;
}

/** Records the hash of what was just written to each record. */
export async function saveWritten(
  db: Kysely<Tables>,
  entries: readonly (ExternalKey & { readonly hash: string })[],
): Promise<void> {
  const writtenAt = now();
  for (const part of chunks(entries)) {
    await db
      .insertInto('written')
      .values(
        part.map((e) => ({
          connection: e.connection,
          object: e.object,
          external_id: e.externalId,
          hash: e.hash,
          written_at: writtenAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['connection', 'object', 'external_id']).doUpdateSet((eb) => ({
          hash: eb.ref('excluded.hash'),
          written_at: eb.ref('excluded.written_at'),
        })),
      )
      .execute();
  }
}

/** Forgets what was last written to these records (replay). */
export async function forgetWritten(db: Kysely<Tables>, keys: readonly ExternalKey[]): Promise<void> {
  for (const part of chunks(keys)) {
    await db.deleteFrom('written').where(isOneOf(part)).execute();
  }
}

/** Which connection last set each field of a unified record, and when. */
export async function provenance(
  db: Kysely<Tables>,
  unifiedId: string,
): Promise<Map<string, { connection: string; modifiedAt: string }>> {
  const rows = await db.selectFrom('provenance').selectAll().where('unified_id', '=', unifiedId).execute();
  return new Map(rows.map((r) => [r.field, { connection: r.connection, modifiedAt: r.modified_at }]));
}

/** Records who set these fields of a unified record. */
export async function saveProvenance(
  db: Kysely<Tables>,
  unifiedId: string,
  fields: Readonly<Record<string, FieldSource>>,
): Promise<void> {
  const rows = Object.entries(fields).map(([field, p]) => ({
    unified_id: unifiedId,
    field,
    connection: p.connection,
    modified_at: p.modifiedAt,
  }));
  for (const part of chunks(rows)) {
    await db
      .insertInto('provenance')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['unified_id', 'field']).doUpdateSet((eb) => ({
          connection: eb.ref('excluded.connection'),
          modified_at: eb.ref('excluded.modified_at'),
        })),
      )
      .execute();
  }
}

/** The merged records as last synced, keyed by unified id. */
export async function snapshots(
  db: Kysely<Tables>,
  unifiedIds: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const part of chunks(unifiedIds)) {
    const rows = await db
      .selectFrom('snapshots')
      .select(['unified_id', 'data'])
      .where('unified_id', 'in', part)
      .execute();
    for (const row of rows) out.set(row.unified_id, JSON.parse(row.data) as Record<string, unknown>);
  }
  return out;
}

/** Replaces the merged records as last synced. */
export async function saveSnapshots(
  db: Kysely<Tables>,
  entries: readonly { readonly unifiedId: string; readonly entity: EntityName; readonly data: object }[],
): Promise<void> {
  const syncedAt = now();
  for (const part of chunks(entries)) {
    await db
      .insertInto('snapshots')
      .values(
        part.map((e) => ({
          unified_id: e.unifiedId,
          entity: e.entity,
          data: JSON.stringify(e.data),
          stage: stageText((e.data as Record<string, unknown>)[STAGE_FIELD]),
          synced_at: syncedAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['unified_id']).doUpdateSet((eb) => ({
          data: eb.ref('excluded.data'),
          stage: eb.ref('excluded.stage'),
          synced_at: eb.ref('excluded.synced_at'),
        })),
      )
      .execute();
  }
}
