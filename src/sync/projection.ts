import { createHash } from 'node:crypto';
import { getPath, parsePath } from '../mapping/unified-path.ts';
import type { MappedField } from './field-table.ts';

/**
 * The values of the given unified fields in a unified record, by path; absent fields are left out. A link is
 * compared by the unified id of its target (set by link resolution), so that Salesforce's AccountId and HubSpot's
 * company id for the same company are the same value; an unresolved link keeps its external refs.
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
  if (isLink(value)) return value.id ?? `unresolved:${JSON.stringify(value.refs)}`;
  if (Array.isArray(value) && value.every(isLink)) return value.map(comparable).sort();
  return value;
}

/** A stable hash of projected values: equal values, in any key order, give equal hashes. */
export function hashValues(values: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(values).sort();
  const canonical = JSON.stringify(keys.map((k) => [k, normalise(values[k])]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** Blank is blank, whether a CRM returns it as null or ''. */
function normalise(value: unknown): unknown {
  if (value === '' || value === undefined) return null;
  return value;
}
