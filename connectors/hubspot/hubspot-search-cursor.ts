import type { Call } from './hubspot-call.ts';
import type { HubSpotObject, HubSpotPage, SearchFilter } from './hubspot-client.ts';
import { byCursor, modifiedProperty, timeOf } from './hubspot-records.ts';

/** Strictly after this point: (ts, id) as in a `Cursor`, or past every record at `ts` when `id` is null. */
export interface Anchor {
  /** Last-modified time, epoch ms. */
  readonly ts: number;
  /** Record id at `ts` ('' for none yet), or null for past all of `ts`. */
  readonly id: string | null;
}

/**
 * Whether a search has matches past this page. Every request here starts from the first match, so `total` (all
 * matches) past the page's length says so as well as `paging.next`, which HubSpot's answers may leave out.
 */
function hasMore(page: HubSpotPage): boolean {
  return page.paging?.next !== undefined || (page.total ?? 0) > page.results.length;
}

/** HubSpot's search pages hold at most 200 records. */
export const SEARCH_PAGE = 200;

/**
 * Records changed after `since`, oldest first, in pages sorted by (last-modified time, id), through the search API.
 *
 * Keyset paging: every request starts afresh from the last record handed out, so no query ever pages past
 * HubSpot's 10,000-result cap and records changed meanwhile cannot shift a page boundary. Search sorts on one
 * property only and gives no order among equal timestamps, so the records sharing the page's last timestamp are
 * held back and asked for again by the next request. When a whole page shares one timestamp, that timestamp is
 * paged on its own, by `hs_object_id`, with an `hs_object_id > last id` filter: many records with one timestamp
 * can never loop.
 */
export async function* searchChanges(
  call: Call,
  type: string,
  properties: readonly string[],
  since: Anchor,
  extra: readonly SearchFilter[] = [],
  limit = SEARCH_PAGE,
): AsyncGenerator<HubSpotObject[]> {
  const modified = modifiedProperty(type);
  const props = [...new Set([...properties, modified])];
  const order = byCursor(type);
  let anchor = since;
  for (;;) {
    const groups: SearchFilter[][] = [
      [{ propertyName: modified, operator: 'GT', value: String(anchor.ts) }, ...extra],
    ];
    if (anchor.id !== null) {
      groups.push([
        { propertyName: modified, operator: 'EQ', value: String(anchor.ts) },
        ...(anchor.id === ''
          ? []
          : [{ propertyName: 'hs_object_id', operator: 'GT' as const, value: anchor.id }]),
        ...extra,
      ]);
    }
    const page = await call('search', (api) =>
      api.search(type, {
        filterGroups: groups.map((filters) => ({ filters })),
        sorts: [{ propertyName: modified, direction: 'ASCENDING' }],
        properties: props,
        limit,
      }),
    );
    const rows = page.results;
    if (rows.length === 0) return;
    const more = hasMore(page);
    const lastTs = timeOf(type, rows[rows.length - 1] as HubSpotObject);
    const complete = (more ? rows.filter((r) => timeOf(type, r) < lastTs) : [...rows]).sort(order);
    const last = complete[complete.length - 1];
    if (last) {
      yield complete;
      if (!more) return;
      anchor = { ts: timeOf(type, last), id: last.id };
      continue;
    }
    // The whole page shares one timestamp: page through it by id.
    let afterId = anchor.ts === lastTs ? anchor.id : '';
    for (;;) {
      const tie = await call('search', (api) =>
        api.search(type, {
          filterGroups: [
            {
              filters: [
                { propertyName: modified, operator: 'EQ', value: String(lastTs) },
                ...(afterId
                  ? [{ propertyName: 'hs_object_id', operator: 'GT' as const, value: afterId }]
                  : []),
                ...extra,
              ],
            },
          ],
          sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
          properties: props,
          limit,
        }),
      );
      const sorted = [...tie.results].sort(order);
      const end = sorted[sorted.length - 1];
      if (end) {
        yield sorted;
        afterId = end.id;
      }
      if (!end || !hasMore(tie)) break;
    }
    anchor = { ts: lastTs, id: null };
  }
}
