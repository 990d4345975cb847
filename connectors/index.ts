import type { Resolved } from '../src/config/resolve.ts';
import type { HubSpotConnection, SalesforceConnection } from '../src/config/schema.ts';
import type { CallGate } from '../src/connector/call-gate.ts';
import type { Connector } from '../src/connector/types.ts';
import type { SystemName } from '../src/model/index.ts';
import { createHubSpotConnector } from './hubspot/index.ts';
import { createSalesforceConnector } from './salesforce/index.ts';

/** The resolved settings each system's connector is built from. */
interface ConnectionOf {
  salesforce: Resolved<SalesforceConnection>;
  hubspot: Resolved<HubSpotConnection>;
}

/** What a connector may share with the other processes calling the same account; the CLI passes none. */
export interface ConnectorExtras {
  /** A call budget shared by every process calling the same account (the workers keep theirs in Redis). */
  readonly gate?: CallGate | undefined;
  /** The connection's name in the config: names its account's windows and allocation in the gate. */
  readonly name?: string | undefined;
}

export type ConnectorFactory<S extends SystemName> = (
  connection: ConnectionOf[S],
  extras?: ConnectorExtras,
) => Connector;

/** Every connector crm-bridge has: adding a CRM is adding its folder and one line here. */
export const CONNECTORS = {
  salesforce: (connection, extras) =>
    createSalesforceConnector({ connection, gate: extras?.gate, gateKey: extras?.name }),
  hubspot: (connection, extras) =>
    createHubSpotConnector({ ...connection, gate: extras?.gate, gateKey: extras?.name }),
} satisfies { [S in SystemName]: ConnectorFactory<S> };

/** Builds the connector of a resolved connection, sharing its call budget through `extras.gate` if given. */
export function createConnector(connection: ConnectionOf[SystemName], extras?: ConnectorExtras): Connector {
  switch (connection.system) {
    case 'salesforce':
      return CONNECTORS.salesforce(connection as ConnectionOf['salesforce'], extras);
    case 'hubspot':
      return CONNECTORS.hubspot(connection as ConnectionOf['hubspot'], extras);
    default:
      throw new Error(`no connector for system ${String((connection as { system: unknown }).system)}`);
  }
}
