import type { Cursor, DeletedRef } from '../../src/connector/types.ts';
import type { Call } from './pipedrive-call.ts';
import type { PipedriveObject } from './standard-fields.ts';

const ITEMS = { persons: 'person', organizations: 'organization' } as const;

/** `since` as v1 recents takes it: `YYYY-MM-DD HH:MM:SS`, UTC, to the second (inclusive). */
const recentsTime = (iso: string) => new Date(Date.parse(iso)).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Records deleted strictly after `since`. Pipedrive keeps a deleted person, organization or deal for 30 days:
 * deals are listed with `status=deleted` (v2, by update time), persons and organizations as inactive items of
 * v1 recents. A deleted lead is gone at once and listed nowhere (a converted lead too, which is why conversion is
 * settled by the deal's `source_lead_id`), so leads report none.
 */
export async function* deleted(
  call: Call,
  object: PipedriveObject,
  since: Cursor,
): AsyncIterable<readonly DeletedRef[]> {
  if (object === 'leads') return;
  const after = Date.parse(since.modifiedAt);
  // Both name the second only: a delete in `since`'s own second was reported with it already.
  const fresh = (ref: DeletedRef) => Date.parse(ref.deletedAt) > after;
  if (object === 'deals') {
    const from = `${new Date(after).toISOString().slice(0, 19)}Z`;
    let cursor: string | undefined;
    do {
      const page = await call((api) => api.deletedDeals(from, 500, cursor));
      const refs = page.records
        .map((d) => ({
          object,
          id: String(d.id),
          deletedAt: new Date(Date.parse(String(d.update_time))).toISOString(),
        }))
        .filter(fresh);
      if (refs.length > 0) yield refs;
      cursor = page.nextCursor;
    } while (cursor);
    return;
  }
  const item = ITEMS[object];
  const from = recentsTime(since.modifiedAt);
  for (let start = 0; ; start += 500) {
    const page = await call((api) => api.recents(item, from, start, 500));
    const refs = page.items
      .filter((e) => !e.active && e.updateTime !== undefined)
      .map((e) => ({
        object,
        id: e.id,
        deletedAt: new Date(`${(e.updateTime as string).replace(' ', 'T')}Z`).toISOString(),
      }))
      .filter(fresh);
    if (refs.length > 0) yield refs;
    if (!page.more) return;
  }
}
