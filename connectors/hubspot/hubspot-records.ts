import type { Cursor, ExternalRecord } from '../../src/connector/types.ts';
import type { HubSpotObject } from './hubspot-client.ts';

/**
 * The property that holds an object's last-modified time: `lastmodifieddate` on contacts, `hs_lastmodifieddate`
 * on companies, deals, leads and custom objects (HubSpot's search docs; the sandbox follows them).
 */
export function modifiedProperty(type: string): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

function parseTime(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * An object's last-modified time in ms: its last-modified property, else the API's `updatedAt`, else when it was
 * created (a record never changed since); 0 only when HubSpot sent none of them.
 */
export function timeOf(type: string, object: HubSpotObject): number {
  return (
    parseTime(object.properties[modifiedProperty(type)]) ??
    object.updatedAt?.getTime() ??
    parseTime(object.properties.createdate) ??
    object.createdAt?.getTime() ??
    0
  );
}

/** Orders HubSpot's numeric ids as numbers. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Orders objects as cursors do: by last-modified time, then id. */
export function byCursor(type: string): (a: HubSpotObject, b: HubSpotObject) => number {
  return (a, b) => timeOf(type, a) - timeOf(type, b) || compareIds(a.id, b.id);
}

export function cursorOf(type: string, object: HubSpotObject): Cursor {
  return { modifiedAt: new Date(timeOf(type, object)).toISOString(), id: object.id };
}

/** The later of two cursors. */
export function laterCursor(a: Cursor | undefined, b: Cursor): Cursor {
  if (!a) return b;
  const t = Date.parse(a.modifiedAt) - Date.parse(b.modifiedAt);
  return t > 0 || (t === 0 && compareIds(a.id, b.id) > 0) ? a : b;
}

export function toExternalRecord(
  type: string,
  object: HubSpotObject,
  associations?: Readonly<Record<string, readonly string[]>>,
): ExternalRecord {
  const created = parseTime(object.properties.createdate) ?? object.createdAt?.getTime();
  return {
    object: type,
    id: object.id,
    fields: { ...object.properties },
    modifiedAt: new Date(timeOf(type, object)).toISOString(),
    ...(created !== undefined ? { createdAt: new Date(created).toISOString() } : {}),
    ...(object.archived ? { deleted: true } : {}),
    ...(associations && Object.keys(associations).length > 0 ? { associations } : {}),
  };
}
