/** The external systems crm-bridge can connect to. Adding a CRM adds one name here and one connector folder. */
export const SYSTEMS = ['salesforce', 'hubspot'] as const;
export type SystemName = (typeof SYSTEMS)[number];

/** How a system encodes field values on the wire, which the mappers need in order to write values back. */
export interface SystemProfile {
  /** `json`: numbers, booleans and nulls are native JSON; `strings`: every property value is a string. */
  readonly valueEncoding: 'json' | 'strings';
  /** The external objects each unified entity may come from, in the order a sandbox or demo seeds them. */
  readonly objects: Readonly<Record<EntityName, readonly string[]>>;
  /**
   * How a person is split across objects, when it is: the object an unqualified person (a lead) lives in and the
   * one a qualified person (a contact) lives in. A system with one person object has none.
   */
  readonly personSplit?: { readonly lead: string; readonly contact: string };
  /**
   * How the system converts a sales-ready person: `convertLead` turns the lead object into a contact (and an
   * account, maybe a deal), read-only afterwards; `lifecycle` advances the person's stage (and may add a deal).
   */
  readonly conversion: 'convertLead' | 'lifecycle';
  /** Writes one API call takes (one push job's batch). */
  readonly batchSize: number;
  /** How an admin makes a twin id field, `{field}` and `{object}` filled in: the fix `crm-bridge check` prints. */
  readonly twinIdFix: string;
}

export const ENTITIES = ['person', 'account', 'opportunity'] as const;
export type EntityName = (typeof ENTITIES)[number];

export const SYSTEM_PROFILES = {
  salesforce: {
    valueEncoding: 'json',
    objects: { person: ['Lead', 'Contact'], account: ['Account'], opportunity: ['Opportunity'] },
    personSplit: { lead: 'Lead', contact: 'Contact' },
    conversion: 'convertLead',
    batchSize: 200,
    twinIdFix:
      'create a Text(32) field {field} on {object}, marked External ID and Unique, visible to the API user',
  },
  hubspot: {
    valueEncoding: 'strings',
    objects: { person: ['contacts', 'leads'], account: ['companies'], opportunity: ['deals'] },
    conversion: 'lifecycle',
    batchSize: 100,
    twinIdFix: 'create a single-line text property {field} on {object} that requires unique values',
  },
} as const satisfies Record<SystemName, SystemProfile>;
