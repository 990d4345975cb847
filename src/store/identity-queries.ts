import type { Kysely } from 'kysely';
import type { EntityName } from '../model/index.ts';
import { type ExternalKey, keyOf } from './external-key.ts';
import type { IdentityLink, MatchKeyEntry } from './identity.ts';
import { chunks, isOneOf, now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';

/* The identity map and match keys on Kysely. */

/** Links of these external records, keyed `connection/object/externalId`. */
export async function findLinks(
  db: Kysely<Tables>,
  keys: readonly ExternalKey[],
): Promise<Map<string, IdentityLink>> {
  const out = new Map<string, IdentityLink>();
  for (const part of chunks(keys)) {
    const rows = await db.selectFrom('identities').selectAll().where(isOneOf(part)).execute();
    for (const row of rows) {
      const link = toLink(row);
      out.set(keyOf(link), link);
    }
  }
  return out;
}

/** Every external record linked to these unified ids. */
export async function linksOf(db: Kysely<Tables>, unifiedIds: readonly string[]): Promise<IdentityLink[]> {
  const out: IdentityLink[] = [];
  for (const part of chunks(unifiedIds)) {
    const rows = await db.selectFrom('identities').selectAll().where('unified_id', 'in', part).execute();
    out.push(...rows.map(toLink));
  }
  return out;
}

/** Adds or re-points links: the identity map is keyed by the external record. */
export async function link(db: Kysely<Tables>, links: readonly IdentityLink[]): Promise<void> {
  const linkedAt = now();
  for (const part of chunks(links)) {
    await db
      .insertInto('identities')
      .values(
        part.map((l) => ({
          entity: l.entity,
          unified_id: l.unifiedId,
          connection: l.connection,
          object: l.object,
          external_id: l.externalId,
          linked_at: linkedAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['connection', 'object', 'external_id']).doUpdateSet((eb) => ({
          unified_id: eb.ref('excluded.unified_id'),
          entity: eb.ref('excluded.entity'),
          linked_at: eb.ref('excluded.linked_at'),
        })),
      )
      .execute();
  }
}

/** Drops these records from the identity map. */
export async function unlink(db: Kysely<Tables>, keys: readonly ExternalKey[]): Promise<void> {
  for (const part of chunks(keys)) {
    await db.deleteFrom('identities').where(isOneOf(part)).execute();
  }
}

/** Whether any record of this connection's object is in the identity map. */
export async function hasLinks(db: Kysely<Tables>, connection: string, object: string): Promise<boolean> {
  const row = await db
    .selectFrom('identities')
    .select('external_id')
    .where('connection', '=', connection)
    .where('object', '=', object)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Unified ids carrying a match key value, keyed by value, each value's ids in order. */
export async function findByMatchKey(
  db: Kysely<Tables>,
  entity: EntityName,
  key: string,
  values: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const part of chunks(values)) {
    const rows = await db
      .selectFrom('match_keys')
      .select(['value', 'unified_id'])
      .where('entity', '=', entity)
      .where('key', '=', key)
      .where('value', 'in', part)
      .orderBy('unified_id')
      .execute();
    for (const row of rows) out.set(row.value, [...(out.get(row.value) ?? []), row.unified_id]);
  }
  return out;
}

/** Replaces a unified record's values for each given key. */
export async function setMatchKeys(
  db: Kysely<Tables>,
  entity: EntityName,
  unifiedId: string,
  keys: Readonly<Record<string, readonly string[]>>,
): Promise<void> {
  await setMatchKeysMany(db, entity, [{ unifiedId, keys }]);
}

/** Replaces many unified records' values for the keys each entry gives, in one transaction. */
export async function setMatchKeysMany(
  db: Kysely<Tables>,
  entity: EntityName,
  entries: readonly MatchKeyEntry[],
): Promise<void> {
  const byKey = new Map<string, { ids: string[]; rows: { value: string; unified_id: string }[] }>();
  for (const { unifiedId, keys } of entries) {
    for (const [key, values] of Object.entries(keys)) {
      const group = byKey.get(key) ?? { ids: [], rows: [] };
      group.ids.push(unifiedId);
      for (const value of new Set(values)) group.rows.push({ value, unified_id: unifiedId });
      byKey.set(key, group);
    }
  }
  // One transaction, a delete and an insert per chunk: a round sets keys for thousands of records at once.
  await db.transaction().execute(async (trx) => {
    for (const [key, { ids, rows }] of byKey) {
      for (const part of chunks(ids)) {
        await trx
          .deleteFrom('match_keys')
          .where('entity', '=', entity)
          .where('key', '=', key)
          .where('unified_id', 'in', part)
          .execute();
      }
      for (const part of chunks(rows)) {
        await trx
          .insertInto('match_keys')
          .values(part.map((r) => ({ entity, key, ...r })))
          .execute();
      }
    }
  });
}

function toLink(row: Tables['identities']): IdentityLink {
  return {
    entity: row.entity as EntityName,
    unifiedId: row.unified_id,
    connection: row.connection,
    object: row.object,
    externalId: row.external_id,
  };
}
