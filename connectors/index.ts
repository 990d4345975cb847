import * as z from 'zod';
import type { ConnectorDescriptor, ConnectorExtras, Resolved } from '../src/connector/descriptor.ts';
import type { Connector } from '../src/connector/types.ts';
import { hubspot } from './hubspot/index.ts';
import { pipedrive } from './pipedrive/index.ts';
import { salesforce } from './salesforce/index.ts';

/**
 * Every CRM crm-bridge can connect to, by the descriptor its connector folder exports. Adding a CRM is adding its
 * folder and its line here: the system names, the config's connection schema, the push queues and the batch sizes
 * all derive from this list.
 */
export const DESCRIPTORS = [salesforce, hubspot, pipedrive] as const;

/** The name of a CRM crm-bridge can connect to, as a connection's `system:` gives it. */
export type SystemName = (typeof DESCRIPTORS)[number]['system'];
export const SYSTEMS: readonly SystemName[] = DESCRIPTORS.map((d) => d.system);

/** A connection block of the config, whichever CRM it names. */
export const Connection = z.discriminatedUnion(
  'system',
  DESCRIPTORS.map((d) => d.connection) as unknown as [
    (typeof DESCRIPTORS)[0]['connection'],
    ...(typeof DESCRIPTORS)[number]['connection'][],
  ],
);
export type Connection = z.infer<(typeof DESCRIPTORS)[number]['connection']>;

const BY_NAME: ReadonlyMap<string, ConnectorDescriptor> = new Map(
  DESCRIPTORS.map((d) => [d.system, d as unknown as ConnectorDescriptor]),
);

/** Whether `name` is a CRM crm-bridge knows. */
export const isSystemName = (name: unknown): name is SystemName =>
  typeof name === 'string' && BY_NAME.has(name);

/** The descriptor of a CRM by its system name. */
export function descriptorOf(system: string): ConnectorDescriptor {
  const descriptor = BY_NAME.get(system);
  if (descriptor === undefined)
    throw new Error(`no connector for system "${system}"; crm-bridge knows ${SYSTEMS.join(', ')}`);
  return descriptor;
}

/** Builds the connector of a resolved connection, sharing its call budget through `extras.gate` if given. */
export function createConnector(connection: Resolved<Connection>, extras?: ConnectorExtras): Connector {
  return descriptorOf(connection.system as string).create(connection as never, extras);
}
