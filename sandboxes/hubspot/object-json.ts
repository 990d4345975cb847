import { modifiedProperty } from './properties.ts';
import type { StoredObject } from './store.ts';

const DEFAULTS: Readonly<Record<string, readonly string[]>> = {
  contacts: ['email', 'firstname', 'lastname'],
  companies: ['domain', 'name'],
  deals: ['amount', 'closedate', 'dealname', 'dealstage', 'pipeline'],
};

/**
 * An object in the API's JSON shape. Like HubSpot, it returns the requested properties (null when unset) plus
 * hs_object_id, createdate and the last-modified property, or the type's default properties when none are asked.
 * A requested property the portal does not have is left out without complaint, as HubSpot does.
 */
export function objectJson(
  object: StoredObject,
  requested: readonly string[],
  defs: ReadonlyMap<string, unknown> | undefined,
): Record<string, unknown> {
  const names = [
    ...(requested.length > 0 ? requested : (DEFAULTS[object.type] ?? [])),
    'hs_object_id',
    'createdate',
    modifiedProperty(object.type),
  ];
  const properties: Record<string, string | null> = {};
  for (const name of names) if (defs?.has(name)) properties[name] = object.properties[name] ?? null;
  return {
    id: object.id,
    properties,
    createdAt: new Date(object.createdAt).toISOString(),
    updatedAt: new Date(object.updatedAt).toISOString(),
    archived: object.archivedAt !== undefined,
    ...(object.archivedAt !== undefined ? { archivedAt: new Date(object.archivedAt).toISOString() } : {}),
  };
}

/** Property names from a query string: repeated (`properties=a&properties=b`) or comma-separated. */
export function listParam(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
