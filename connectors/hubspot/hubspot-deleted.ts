import type { Cursor, DeletedRef } from '../../src/connector/types.ts';
import type { Call } from './hubspot-call.ts';
import { listAll } from './hubspot-pull.ts';
import { compareIds, modifiedProperty, timeOf } from './hubspot-records.ts';
import { searchChanges } from './hubspot-search-cursor.ts';

/**
 * Records archived or merged away after `since`. Archived records come from the list endpoint with
 * `archived=true` (filtered by `archivedAt`); merges from a search for survivors changed after `since` that carry
 * `hs_merged_object_ids`, each merged id reported with the survivor as `mergedInto`.
 */
export async function* deleted(
  call: Call,
  type: string,
  since: Cursor,
): AsyncGenerator<readonly DeletedRef[]> {
  const sinceMs = Date.parse(since.modifiedAt);
  const after = (ms: number, id: string) => ms > sinceMs || (ms === sinceMs && compareIds(id, since.id) > 0);
  for await (const rows of listAll(call, type, [modifiedProperty(type)], 100, true)) {
    const refs = rows.flatMap((row): DeletedRef[] => {
      const at = row.archivedAt?.getTime() ?? timeOf(type, row);
      return after(at, row.id) ? [{ object: type, id: row.id, deletedAt: new Date(at).toISOString() }] : [];
    });
    if (refs.length > 0) yield refs;
  }
  const merges = searchChanges(call, type, ['hs_merged_object_ids'], { ts: sinceMs, id: since.id }, [
    { propertyName: 'hs_merged_object_ids', operator: 'HAS_PROPERTY' },
  ]);
  for await (const rows of merges) {
    const refs = rows.flatMap((row) =>
      (row.properties.hs_merged_object_ids ?? '')
        .split(';')
        .filter((id) => id !== '')
        .map((id) => ({
          object: type,
          id,
          deletedAt: new Date(timeOf(type, row)).toISOString(),
          mergedInto: row.id,
        })),
    );
    if (refs.length > 0) yield refs;
  }
}
