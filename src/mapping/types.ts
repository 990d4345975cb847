import type {
  Account,
  AccountInput,
  EntityName,
  Opportunity,
  OpportunityInput,
  Person,
  PersonInput,
} from '../model/index.ts';

/** One field of one record that could not be mapped, named so an admin can find and fix it at the source. */
export interface FieldFailure {
  /** The unified field path, e.g. `email`, `address.city`, `custom.budget`. */
  readonly unified: string;
  /** The connection name from the config, e.g. `sf`. */
  readonly connection: string;
  /** The external object, e.g. `Lead`, `contacts`. */
  readonly object: string;
  /** The external field (several joined fields are listed with `, `). */
  readonly external: string;
  /** The offending value as it was read (inbound) or as the unified record held it (outbound). */
  readonly value: unknown;
  /** Why the value was refused, e.g. `invalid e-mail`. */
  readonly reason: string;
  /**
   * Whether the whole record must be set aside (the field's `onInvalid: hold`, or a record without an id);
   * otherwise only this field is left out and the rest of the record syncs.
   */
  readonly hold: boolean;
}

/**
 * A per-record outcome: bad values are results to report, never exceptions that stop a run. When some fields
 * failed, `value` still holds every field that mapped (the failed ones left out), so that the record can take part
 * in matching and, unless a failure holds it, sync without those fields.
 */
export type MapResult<T> = { ok: true; value: T } | { ok: false; failures: FieldFailure[]; value: T };

/** A record as a connector pulled it (the connector contract's `ExternalRecord` is one, structurally). */
export interface ExternalRecord {
  /** The external id. */
  readonly id: string;
  /** The field values as the API returned them (HubSpot: strings; Salesforce: JSON values). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** When the record was last changed in its source (ISO 8601 or epoch milliseconds). */
  readonly modifiedAt?: string | undefined;
  /** When the record was created in its source. */
  readonly createdAt?: string | undefined;
  /** True when the source reports the record deleted or archived. */
  readonly deleted?: boolean | undefined;
}

/** External field values to write, keyed by external field name, already encoded for the target system. */
export type ExternalFields = Record<string, unknown>;

/** The validated unified record of each entity. */
export interface UnifiedRecords {
  /** A Salesforce Lead or Contact, or a HubSpot contact. */
  person: Person;
  /** A Salesforce Account or a HubSpot company. */
  account: Account;
  /** A Salesforce Opportunity or a HubSpot deal. */
  opportunity: Opportunity;
}

/** A unified record as the sync engine may hold it before defaults apply (what outbound mapping accepts). */
export interface UnifiedInputs {
  /** A person, `sources`/`custom`/`deleted` optional. */
  person: PersonInput;
  /** An account, `sources`/`custom`/`deleted` optional. */
  account: AccountInput;
  /** An opportunity, `sources`/`custom`/`deleted` optional. */
  opportunity: OpportunityInput;
}

/** Maps one external object's records to one entity. */
export type InboundMapper<E extends EntityName> = (record: ExternalRecord) => MapResult<UnifiedRecords[E]>;

/** Maps one entity's records to one external object's writable fields. */
export type OutboundMapper<E extends EntityName> = (unified: UnifiedInputs[E]) => MapResult<ExternalFields>;
