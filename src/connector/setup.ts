import type { FieldDescription, ObjectType } from './types.ts';

/** What a field must hold, in terms every CRM has a type for. */
export type FieldKind = 'text' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'picklist';

/** One field the config writes, as `crm-bridge setup` would create it: derived from the mapping, never typed in. */
export interface FieldSpec {
  readonly object: ObjectType;
  /** The field's API name, as the config names it (`Lead_Score__c`, `crm_bridge_score`). */
  readonly name: string;
  /** The name people see in the CRM. */
  readonly label: string;
  readonly kind: FieldKind;
  /** Text: the most characters a value has. */
  readonly length?: number;
  /** Picklist: the values crm-bridge writes, in the value map's order. */
  readonly options?: readonly string[];
  /** A twin id: unique, and usable as an upsert key (Salesforce: External ID). */
  readonly unique?: boolean;
}

/** A field the CRM refused to create, or a step it refused, with what to do about it. */
export interface SetupFailure {
  /** The field, when the failure is one field's. */
  readonly spec?: FieldSpec;
  readonly message: string;
  readonly fix: string;
}

/** What `apply` did in one CRM. */
export interface SetupOutcome {
  /** Fields created, each with how the CRM made it (`Picklist (3 values)`, `enumeration/select`). */
  readonly created: readonly { readonly spec: FieldSpec; readonly as: string }[];
  /** Fields the CRM already had although the API user could not see them (now granted). */
  readonly found: readonly FieldSpec[];
  /** What else was done for the fields to be usable (a permission set, a property group). */
  readonly steps: readonly string[];
  readonly failures: readonly SetupFailure[];
}

/**
 * How a connector creates the custom fields a config writes: an optional capability (`Connector.setup`). The
 * engine decides which fields are missing; the connector knows how its CRM makes, types and grants them.
 */
export interface FieldSetup {
  /** What the CRM calls a field, singular and plural: `field(s)`, `property/properties`. */
  readonly noun: { readonly one: string; readonly many: string };
  /** How the CRM would make the field, in its own words: `Text(32) External ID Unique`, `enumeration/select (3)`. */
  as(spec: FieldSpec): string;
  /** Why this CRM cannot make the field at all (a standard field's name), or undefined when it can. */
  refuses(spec: FieldSpec): string | undefined;
  /** Why an existing field cannot hold what the spec needs (its type), or undefined when it can. */
  conflict(spec: FieldSpec, field: FieldDescription): string | undefined;
  /** What `apply` does besides creating the fields, for the dry run (a permission set, property groups). */
  alsoDoes(create: readonly FieldSpec[]): readonly string[];
  /**
   * Creates the `create` fields and makes every field of `all` (the custom fields the config writes, those already
   * there included) usable by the API user. Refusals are outcomes; only a failure of the connection throws.
   */
  apply(create: readonly FieldSpec[], all: readonly FieldSpec[]): Promise<SetupOutcome>;
}

/** A connector with the setup capability. */
export interface SetupCapable {
  /** How this connector creates the fields a config writes in its CRM. */
  setup(): FieldSetup;
}

/** The connector's field setup, or undefined when its CRM has no way (crm-bridge knows) to create fields. */
export function setupOf(connector: object): FieldSetup | undefined {
  const capable = connector as Partial<SetupCapable>;
  return typeof capable.setup === 'function' ? capable.setup() : undefined;
}
