import type { SystemProfile } from '../connector/descriptor.ts';

/** How a value is written on one system's wire. Lists become one `;`-separated value (multi-select picklists). */
export type Encode = (value: unknown) => unknown;

/** Salesforce: numbers, booleans and null stay native JSON. */
function encodeJson(value: unknown): unknown {
  return Array.isArray(value) ? value.join(';') : value;
}

/** HubSpot: every property value is a string, and an empty string clears a property. */
function encodeStrings(value: unknown): unknown {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.join(';') : String(value);
}

export function encoderFor(encoding: SystemProfile['valueEncoding']): Encode {
  return encoding === 'json' ? encodeJson : encodeStrings;
}
