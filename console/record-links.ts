import { resolveConnection } from '../src/config/resolve.ts';
import type { BridgeConfig } from '../src/config/schema.ts';

/** The address of a record in its CRM's own app, or undefined when the console cannot tell it. */
export type RecordLinks = (connection: string, object: string, id: string) => string | undefined;

/** HubSpot's object type ids, as its record pages name them. */
const HUBSPOT_TYPES: Record<string, string> = { contacts: '0-1', companies: '0-2', deals: '0-3' };

/**
 * Record links per connection: Salesforce's Lightning record page on the org's instance URL; HubSpot's record page
 * in the portal given (HubSpot's API does not say which portal a token belongs to without another call). Only the
 * instance URL is taken from the resolved settings: no credential reaches a page.
 */
export function recordLinks(
  config: BridgeConfig,
  env: NodeJS.ProcessEnv,
  options: { readonly hubspotPortal?: string | undefined } = {},
): RecordLinks {
  const bases = new Map<string, (object: string, id: string) => string | undefined>();
  for (const [name, connection] of Object.entries(config.connections)) {
    if (connection.system === 'salesforce') {
      const settings = resolveConnection(connection, env) as { instanceUrl?: unknown };
      const instance =
        typeof settings.instanceUrl === 'string' ? settings.instanceUrl.replace(/\/+$/, '') : '';
      if (/^https?:\/\//.test(instance))
        bases.set(
          name,
          (object, id) =>
            `${instance}/lightning/r/${encodeURIComponent(object)}/${encodeURIComponent(id)}/view`,
        );
    } else if (connection.system === 'hubspot' && options.hubspotPortal !== undefined) {
      const portal = encodeURIComponent(options.hubspotPortal);
      bases.set(name, (object, id) => {
        const type = HUBSPOT_TYPES[object];
        return type === undefined
          ? undefined
          : `https://app.hubspot.com/contacts/${portal}/record/${type}/${encodeURIComponent(id)}`;
      });
    }
  }
  return (connection, object, id) => bases.get(connection)?.(object, id);
}
