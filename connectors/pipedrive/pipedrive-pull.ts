import { createHash } from 'node:crypto';
import type { Cursor, ExternalRecord, Page } from '../../src/connector/types.ts';
import type { Call } from './pipedrive-call.ts';
import type { ObjectFields } from './pipedrive-describe.ts';
import { toExternalRecord } from './pipedrive-records.ts';

/** Orders change-stream positions: by time, then by id (numeric ids as numbers, a lead's UUID as text). */
export function compareKeys(a: Cursor, b: Cursor): number {
  const t = Date.parse(a.modifiedAt) - Date.parse(b.modifiedAt);
  if (t !== 0) return t;
  if (/^\d+$/.test(a.id) && /^\d+$/.test(b.id)) return Number(a.id) - Number(b.id);
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The most records of one second a cursor remembers; past it, a change within that second may be missed. */
const MAX_REMEMBERED = 2000;

const secondOf = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const hashOf = (r: ExternalRecord) =>
  createHash('sha1').update(JSON.stringify(r.fields)).digest('hex').slice(0, 10);

/**
 * A cursor as the connector writes it: the last record's time and id, then (after `~`) the id and a digest of
 * every record handed on from that second. Pipedrive keeps update times to the second, so a record changed again
 * within the cursor's second, after it was read, has the same time as before: the digests tell it apart from
 * the records read already. A cursor without them (the engine's overlap cursor, `id: ''`) means strictly after.
 */
interface Position {
  readonly key: Cursor;
  /** The second the digests are of, and the digests by record id. */
  readonly second: number;
  readonly seen: Map<string, string>;
}

function parsePosition(cursor: Cursor | undefined): Position | undefined {
  if (!cursor) return undefined;
  const [id = '', digests = ''] = cursor.id.split('~');
  const seen = new Map(
    digests
      .split(',')
      .filter((d) => d !== '')
      .map((d) => d.split(':') as [string, string]),
  );
  return { key: { modifiedAt: cursor.modifiedAt, id }, second: secondOf(cursor.modifiedAt), seen };
}

function writeCursor(position: Position): Cursor {
  const digests =
    position.seen.size <= MAX_REMEMBERED ? [...position.seen].map(([id, h]) => `${id}:${h}`).join(',') : '';
  return {
    modifiedAt: position.key.modifiedAt,
    id: digests === '' ? position.key.id : `${position.key.id}~${digests}`,
  };
}

const keyOf = (r: ExternalRecord): Cursor => ({ modifiedAt: r.modifiedAt, id: r.id });

/** `updated_since` for a cursor: its second (Pipedrive filters inclusively, to the second). */
const sinceOf = (cursor: Cursor | undefined) =>
  cursor ? `${new Date(Date.parse(cursor.modifiedAt)).toISOString().slice(0, 19)}Z` : undefined;

/** Whether a record is new to a reader at `position`: after it, or changed within its second since. */
function isNew(record: ExternalRecord, position: Position | undefined): boolean {
  if (!position) return true;
  if (position.seen.size > 0 && secondOf(record.modifiedAt) === position.second) {
    return position.seen.get(record.id) !== hashOf(record);
  }
  return compareKeys(keyOf(record), position.key) > 0;
}

/**
 * Turns the API's batches (sorted by update time) into pages in strict `(modifiedAt, id)` order, each with the
 * cursor after its last record. Pipedrive does not promise an order among records of one second, so the records
 * of a batch's last second are held back until a batch reaches a later second (or the stream ends): a cursor saved
 * after any page then never passes a record not yet handed on, however many records share a second. Records the
 * cursor has seen are dropped; a record met twice (it changed while the stream was read) is handed on once per
 * change.
 */
export async function* ordered(
  batches: AsyncIterable<readonly ExternalRecord[]>,
  since: Cursor | undefined,
): AsyncIterable<Page<ExternalRecord>> {
  const held = new Map<string, ExternalRecord>();
  let position = parsePosition(since);
  const flush = (upTo: number | undefined): Page<ExternalRecord> | undefined => {
    const ready = [...held.values()]
      .filter((r) => upTo === undefined || secondOf(r.modifiedAt) < upTo)
      .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
    if (ready.length === 0) return undefined;
    for (const r of ready) {
      held.delete(r.id);
      const second = secondOf(r.modifiedAt);
      const seen = position && position.second === second ? position.seen : new Map<string, string>();
      seen.set(r.id, hashOf(r));
      position = { key: keyOf(r), second, seen };
    }
    return { records: ready, cursor: writeCursor(position as Position) };
  };
  for await (const batch of batches) {
    let latest: number | undefined;
    for (const record of batch) {
      if (!isNew(record, position)) continue;
      const before = held.get(record.id);
      if (!before || compareKeys(keyOf(before), keyOf(record)) <= 0) held.set(record.id, record);
      const second = secondOf(record.modifiedAt);
      if (latest === undefined || second > latest) latest = second;
    }
    if (latest === undefined) continue;
    const page = flush(latest);
    if (page) yield page;
  }
  const rest = flush(undefined);
  if (rest) yield rest;
}

export interface PullSpec {
  readonly fields: ObjectFields;
  readonly asked: readonly string[];
  readonly since?: Cursor;
  readonly pageSize: number;
}

/** Persons, organizations, deals: v2 lists sorted by update time from the cursor's second, cursor-paged. */
export function pullV2(
  call: Call,
  object: 'persons' | 'organizations' | 'deals',
  spec: PullSpec,
): AsyncIterable<Page<ExternalRecord>> {
  async function* batches() {
    let cursor: string | undefined;
    const updatedSince = sinceOf(spec.since);
    do {
      const page = await call((api) =>
        api.list(object, {
          limit: spec.pageSize,
          ...(updatedSince ? { updatedSince } : {}),
          ...(cursor ? { cursor } : {}),
        }),
      );
      yield page.records.map((r) => toExternalRecord(object, r, spec.fields, spec.asked));
      cursor = page.nextCursor;
    } while (cursor);
  }
  return ordered(batches(), spec.since);
}

/**
 * Leads: the v1 list sorted by update time, paged by offset. An offset shifts when a record earlier in the list
 * changes meanwhile (it moves to the end), so each time a page reaches a later second the query starts again from
 * that second with `updated_since`: a shift can then only touch the records of one second, which are re-read.
 */
export function pullLeads(call: Call, spec: PullSpec): AsyncIterable<Page<ExternalRecord>> {
  async function* batches() {
    let updatedSince = sinceOf(spec.since);
    let start = 0;
    for (;;) {
      const since = updatedSince;
      const page = await call((api) => api.leads(start, spec.pageSize, since));
      const records = page.items.map((r) => toExternalRecord('leads', r, spec.fields, spec.asked));
      yield records;
      if (!page.more || records.length === 0) return;
      const latest = sinceOf(records[records.length - 1]);
      if (latest !== undefined && latest !== updatedSince) {
        updatedSince = latest;
        start = 0;
      } else {
        start += page.items.length;
      }
    }
  }
  return ordered(batches(), spec.since);
}
