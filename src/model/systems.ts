/** The external systems crm-bridge can connect to. Adding a CRM adds one name here and one connector folder. */
export const SYSTEMS = ['salesforce', 'hubspot'] as const;
export type SystemName = (typeof SYSTEMS)[number];

/** How a system encodes field values on the wire, which the mappers need in order to write values back. */
export interface SystemProfile {
  /** `json`: numbers, booleans and nulls are native JSON; `strings`: every property value is a string. */
  readonly valueEncoding: 'json' | 'strings';
  /** The external objects each unified entity may come from, in the order a sandbox or demo seeds them. */
  readonly objects: Readonly<Record<EntityName, readonly string[]>>;
}

export const ENTITIES = ['person', 'account', 'opportunity'] as const;
export type EntityName = (typeof ENTITIES)[number];

export const SYSTEM_PROFILES = {
  salesforce: {
    valueEncoding: 'json',
    objects: { person: ['Lead', 'Contact'], account: ['Account'], opportunity: ['Opportunity'] },
  },
  hubspot: {
    valueEncoding: 'strings',
    objects: { person: ['contacts', 'leads'], account: ['companies'], opportunity: ['deals'] },
  },
} as const satisfies Record<SystemName, SystemProfile>;
