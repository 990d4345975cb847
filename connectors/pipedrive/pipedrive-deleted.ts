import type { Cursor, DeletedRef } from '../../src/connector/types.ts';
import type { Call } from './pipedrive-call.ts';
import type { PipedriveObject } from './standard-fields.ts';

const ITEMS = { persons: 'person', organizations: 'organization', deals: 'deal' } as const;

/** `since` as v1 recents takes it: `YYYY-MM-DD HH:MM:SS`, UTC, to the second (inclusive). */
const recentsTime = (iso: string) => new Date(Date.parse(iso)).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Records deleted strictly after `since`, from v1 recents: Pipedrive keeps a deleted person, organization or deal
 * for 30 days and lists it there as inactive. A deleted lead is gone at once and listed nowhere (a converted lead
 * too, which is why conversion is settled by the deal's `source_lead_id`), so leads report none.
 */
export async function* deleted(
  call: Call,
  object: PipedriveObject,
  since: Cursor,
): AsyncIterable<readonly DeletedRef[]> {
  if (object === 'leads') return;
  const item = ITEMS[object];
  const from = recentsTime(since.modifiedAt);
  const after = Date.parse(since.modifiedAt);
  for (let start = 0; ; start += 500) {
    const page = await call((api) => api.recents(item, from, start, 500));
    const refs = page.items
      .filter((e) => !e.active && e.updateTime !== undefined)
      .map((e) => ({ e, at: Date.parse(`${(e.updateTime as string).replace(' ', 'T')}Z`) }))
      // Recents name the second only: a delete in `since`'s own second was reported with it already.
      .filter(({ at }) => at > after)
      .map(({ e, at }) => ({ object, id: e.id, deletedAt: new Date(at).toISOString() }));
    if (refs.length > 0) yield refs;
    if (!page.more) return;
  }
}
