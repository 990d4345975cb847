import type { Cursor, ExternalRecord, Page } from '../../src/connector/types.ts';
import { readAssociations } from './hubspot-associations.ts';
import type { Call } from './hubspot-call.ts';
import type { HubSpotObject } from './hubspot-client.ts';
import { byCursor, cursorOf, laterCursor, modifiedProperty, toExternalRecord } from './hubspot-records.ts';
import { SEARCH_PAGE, searchChanges } from './hubspot-search-cursor.ts';

/** HubSpot's list endpoint returns at most 100 records per page. */
const LIST_PAGE = 100;

export interface PullRequest {
  /** The object type: contacts, companies, deals, leads… */
  readonly type: string;
  /** Only these properties are asked for (plus the last-modified one). */
  readonly properties: readonly string[];
  /** Associated object types read with each page. */
  readonly associations: readonly string[];
  /** Changes strictly after this; a full load without it. */
  readonly since?: Cursor;
  /** Capped at 100 for the list endpoint and 200 for search. */
  readonly pageSize?: number;
}

/**
 * Pages of records: a full load through the list endpoint (id order; each page sorted by cursor; the cursor is the
 * latest seen so far, valid for resuming once the load has finished), or the changes after `since` through search.
 * Each page's associations are read in one batch per associated type.
 */
export async function* pull(call: Call, request: PullRequest): AsyncGenerator<Page<ExternalRecord>> {
  const { type } = request;
  const properties = [...new Set([...request.properties, modifiedProperty(type), 'createdate'])];
  const pages = request.since
    ? searchChanges(
        call,
        type,
        properties,
        { ts: Date.parse(request.since.modifiedAt), id: request.since.id },
        [],
        Math.min(request.pageSize ?? SEARCH_PAGE, SEARCH_PAGE),
      )
    : listAll(call, type, properties, Math.min(request.pageSize ?? LIST_PAGE, LIST_PAGE));
  let cursor: Cursor | undefined;
  for await (const rows of pages) {
    if (rows.length === 0) continue;
    const links = await readAssociations(
      call,
      type,
      rows.map((r) => r.id),
      request.associations,
    );
    for (const row of rows) cursor = laterCursor(cursor, cursorOf(type, row));
    yield { records: rows.map((r) => toExternalRecord(type, r, links.get(r.id))), cursor };
  }
}

/** Every live record through `GET /crm/v3/objects/:type` paging with `after`. */
export async function* listAll(
  call: Call,
  type: string,
  properties: readonly string[],
  limit: number,
  archived = false,
): AsyncGenerator<HubSpotObject[]> {
  let after: string | undefined;
  do {
    const page = await call('standard', (api) => api.getPage(type, limit, after, properties, archived));
    yield [...page.results].sort(byCursor(type));
    after = page.paging?.next?.after;
  } while (after !== undefined);
}
