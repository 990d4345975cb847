import { invalidProperty, type RecordError } from './errors.ts';
import type { PropertyDef } from './properties.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Parses a datetime property value as HubSpot accepts it: epoch milliseconds or an ISO 8601 string. */
export function parseTime(value: string): number | undefined {
  if (/^-?\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The wire form of a property value: HubSpot takes and returns strings; '' and null clear the value. */
export function wireValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(String).join(';');
  return String(value);
}

/** Checks one value against its property definition; returns the stored form or the error HubSpot reports. */
export function checkValue(def: PropertyDef | undefined, name: string, raw: unknown): string | RecordError {
  if (!def) return invalidProperty(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
  if (def.readOnly) {
    return invalidProperty(
      name,
      'READ_ONLY_VALUE',
      `${name} is a read only property; its value cannot be set.`,
    );
  }
  const value = wireValue(raw).trim();
  if (value === '') return '';
  if (name === 'email' && !EMAIL.test(value)) {
    return invalidProperty(name, 'INVALID_EMAIL', `Email address ${value} is invalid`);
  }
  switch (def.type) {
    case 'number':
      return Number.isFinite(Number(value))
        ? value
        : invalidProperty(name, 'INVALID_DECIMAL', `${value} was not a valid number.`);
    case 'bool':
      return value === 'true' || value === 'false'
        ? value
        : invalidProperty(name, 'INVALID_BOOLEAN', `${value} was not a valid boolean.`);
    case 'datetime':
    case 'date': {
      const ms = parseTime(value);
      return ms === undefined
        ? invalidProperty(name, 'INVALID_DATE', `${value} was not a valid date.`)
        : new Date(ms).toISOString();
    }
    case 'enumeration': {
      const allowed = (def.options ?? []).map((o) => o.value);
      const bad = value.split(';').find((v) => !allowed.includes(v));
      return bad === undefined
        ? value
        : invalidProperty(
            name,
            'INVALID_OPTION',
            `${bad} was not one of the allowed options: [${allowed.map((v) => `label: "${v}"\nvalue: "${v}"`).join(', ')}]`,
          );
    }
    default:
      return value;
  }
}
