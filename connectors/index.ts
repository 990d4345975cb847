import type { Resolved } from '../src/config/resolve.ts';
import type { HubSpotConnection, SalesforceConnection } from '../src/config/schema.ts';
import type { Connector } from '../src/connector/types.ts';
import type { SystemName } from '../src/model/index.ts';
import { createHubSpotConnector } from './hubspot/index.ts';
import { createSalesforceConnector } from './salesforce/index.ts';

/** The resolved settings each system's connector is built from. */
interface ConnectionOf {
  salesforce: Resolved<SalesforceConnection>;
  hubspot: Resolved<HubSpotConnection>;
}

export type ConnectorFactory<S extends SystemName> = (connection: ConnectionOf[S]) => Connector;

/** Every connector crm-bridge has: adding a CRM is adding its folder and one line here. */
export const CONNECTORS = {
  salesforce: (connection) => createSalesforceConnector({ connection }),
  hubspot: (connection) => createHubSpotConnector(connection),
} satisfies { [S in SystemName]: ConnectorFactory<S> };

/** Builds the connector of a resolved connection. */
export function createConnector(connection: ConnectionOf[SystemName]): Connector {
  switch (connection.system) {
    case 'salesforce':
      return CONNECTORS.salesforce(connection as ConnectionOf['salesforce']);
    case 'hubspot':
      return CONNECTORS.hubspot(connection as ConnectionOf['hubspot']);
    default:
      throw new Error(`no connector for system ${String((connection as { system: unknown }).system)}`);
  }
}
