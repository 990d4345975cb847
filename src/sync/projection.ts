import { createHash } from 'node:crypto';
import { getPath, parsePath } from '../mapping/unified-path.ts';
import type { MappedField } from './field-table.ts';

/**
 * The values of the given unified fields in a unified record, by path; absent fields are left out. A link is
 * compared by the unified id of its target (set by link resolution), so that Salesforce's AccountId and HubSpot's
 * company id for the same company are the same value; an unresolved link keeps its external refs. `false` counts
 * as blank.
 */
export function project(record: object, fields: readonly MappedField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = getPath(record, parsePath(field.unified));
    if (value !== undefined) out[field.unified] = comparable(value);
  }
  return out;
}

interface LinkValue {
  readonly id?: string;
  readonly refs: Readonly<Record<string, string>>;
}

const isLink = (value: unknown): value is LinkValue =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'refs' in value;

function comparable(value: unknown): unknown {
  // Salesforce stores an unset checkbox as false: for change detection, false and blank are the same fact.
  if (value === false) return null;
  if (isLink(value)) return value.id ?? `unresolved:${JSON.stringify(value.refs)}`;
  if (Array.isArray(value) && value.every(isLink)) return value.map(comparable).sort();
  return value;
}

/**
 * A stable hash of projected values: equal values, in any key order, give equal hashes, and a blank field hashes
 * the same whether a CRM returned it as null or '' or left it out.
 */
export function hashValues(values: Readonly<Record<string, unknown>>): string {
  const entries = Object.keys(values)
    .filter((k) => !isBlankValue(values[k]))
    .sort()
    .map((k) => [k, values[k]]);
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 32);
}

const isBlankValue = (value: unknown) => value === undefined || value === null || value === '';
