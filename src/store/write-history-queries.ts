import type { Kysely } from 'kysely';
import type { EntityName } from '../model/index.ts';
import { chunks, now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';
import type { WriteHistoryEntry } from './write-history.ts';

/* The write history on Kysely: what crm-bridge did to each record. */

export async function recordWrites(
  db: Kysely<Tables>,
  entries: readonly (Omit<WriteHistoryEntry, 'at'> & { readonly at?: string })[],
): Promise<void> {
  const at = now();
  for (const part of chunks(entries, 200)) {
    await db
      .insertInto('write_history')
      .values(
        part.map((e) => ({
          unified_id: e.unifiedId,
          entity: e.entity,
          connection: e.connection,
          object: e.object,
          external_id: e.externalId,
          run_id: e.runId,
          kind: e.kind,
          changes: JSON.stringify(e.changes),
          at: e.at ?? at,
        })),
      )
      .execute();
  }
}

export async function writesOf(
  db: Kysely<Tables>,
  unifiedIds: readonly string[],
  limit = 50,
): Promise<WriteHistoryEntry[]> {
  if (unifiedIds.length === 0) return [];
  const rows = await db
    .selectFrom('write_history')
    .selectAll()
    .where('unified_id', 'in', [...unifiedIds])
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    unifiedId: r.unified_id,
    entity: r.entity as EntityName,
    connection: r.connection,
    object: r.object,
    externalId: r.external_id,
    runId: r.run_id,
    kind: r.kind as WriteHistoryEntry['kind'],
    changes: JSON.parse(r.changes) as WriteHistoryEntry['changes'],
    at: r.at,
  }));
}
