/** An external record by its coordinates: how every role of the store names a record in a CRM. */
export interface ExternalKey {
  /** The connection's name in the config (e.g. `salesforce`). */
  readonly connection: string;
  /** The CRM's object (e.g. `Lead`, `contacts`). */
  readonly object: string;
  /** The record's id in that CRM. */
  readonly externalId: string;
}

/** The map key of an external record. */
export const keyOf = (k: ExternalKey): string => `${k.connection}/${k.object}/${k.externalId}`;
