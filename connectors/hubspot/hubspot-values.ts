/**
 * A field value as HubSpot takes it: every property value is a string; blank (null, undefined, '') clears it;
 * multi-select values are joined with ';'; dates are sent as ISO 8601.
 */
export function toHubSpotValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toHubSpotValue).join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function toHubSpotProperties(fields: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) out[name] = toHubSpotValue(value);
  return out;
}
