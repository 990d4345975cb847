import type * as z from 'zod';
import type { EntityName } from '../model/index.ts';
import type { CallGate } from './call-gate.ts';
import type { Connector, ObjectType } from './types.ts';

/** A connection's settings with every `env:NAME` replaced by the variable's value (undefined when unset). */
export type Resolved<C> = { [K in keyof C]: C[K] extends string ? string | undefined : C[K] };

/** What a connector may share with the other processes calling the same account; the CLI passes none. */
export interface ConnectorExtras {
  /** A call budget shared by every process calling the same account (the workers keep theirs in Redis). */
  readonly gate?: CallGate | undefined;
  /** The connection's name in the config: names its account's windows and allocation in the gate. */
  readonly name?: string | undefined;
}

/** What the engine knows of a CRM: facts it reads instead of ever naming the CRM or its objects. */
export interface SystemProfile {
  /** The name a config's connection gives as `system:`. */
  readonly system: string;
  /** The CRM's name as people write it, for messages. */
  readonly label: string;
  /** `json`: numbers, booleans and nulls are native JSON; `strings`: every property value is a string. */
  readonly valueEncoding: 'json' | 'strings';
  /** The external objects each unified entity may come from, in the order a sandbox or demo seeds them. */
  readonly objects: Readonly<Record<EntityName, readonly ObjectType[]>>;
  /**
   * How a person is split across objects, when it is: the object an unqualified person (a lead) lives in and the
   * one a qualified person (a contact) lives in. A CRM with one person object has none.
   */
  readonly personSplit?: { readonly lead: ObjectType; readonly contact: ObjectType };
  /**
   * Person objects whose every record is one kind of person (a lead object, a contact object). A person object not
   * listed holds both, told apart by the person's lifecycle stage.
   */
  readonly personKinds?: Readonly<Record<ObjectType, 'lead' | 'contact'>>;
  /**
   * How the CRM converts a sales-ready person: `convertLead` turns the lead object into a contact (and an account,
   * maybe a deal), read-only afterwards; `lifecycle` advances the person's stage (and may add a deal).
   */
  readonly conversion: 'convertLead' | 'lifecycle';
  /**
   * Writes one push job takes: one API call where the CRM writes in batches (Salesforce collections, HubSpot batch
   * endpoints); one call each where it writes a record at a time (Pipedrive), paced by the connector's budget.
   */
  readonly batchSize: number;
  /** How an admin makes a twin id field, `{field}` and `{object}` filled in: the fix `crm-bridge check` prints. */
  readonly twinIdFix: string;
}

/**
 * Everything crm-bridge needs to know about one CRM, exported by its connector folder's `index.ts`: the profile
 * the engine reads, the schema of its connection block in the config, and the factory of its connector.
 */
export interface ConnectorDescriptor<C extends { readonly system: string } = { readonly system: string }>
  extends SystemProfile {
  /** The schema of the connection block (`connections.<name>` with this `system:`), secrets as `env:` only. */
  readonly connection: z.ZodType<C>;
  /** Builds the connector of a resolved connection; the settings hold secrets and stay inside the connector. */
  create(connection: Resolved<C>, extras?: ConnectorExtras): Connector;
}
