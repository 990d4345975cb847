/** A custom property as `POST /crm/v3/properties/{objectType}` (`crm.properties.coreApi.create`) takes it. */
export interface CustomPropertyInput {
  /** Internal name: lower-case letters, digits and underscores, starting with a letter; never `hs_…`. */
  readonly name: string;
  readonly label: string;
  /** string, number, enumeration, bool, date or datetime. */
  readonly type: string;
  /** How HubSpot shows it; must suit `type` (text for string, select for enumeration, booleancheckbox for bool…). */
  readonly fieldType: string;
  /** An existing property group of the object type. */
  readonly groupName: string;
  readonly description?: string;
  /** Enumeration options (a bool gets Yes/No when none are given). */
  readonly options?: readonly {
    readonly label: string;
    readonly value: string;
    readonly displayOrder?: number;
    readonly hidden?: boolean;
  }[];
  /** No two records may hold the same value; only such a property can be an upsert `idProperty`. */
  readonly hasUniqueValue?: boolean;
}

/** Custom properties by object type (contacts, companies, deals, leads). */
export type CustomProperties = Readonly<Record<string, readonly CustomPropertyInput[]>>;

/** The property group crm-bridge's custom properties are created in. */
export const CRM_BRIDGE_GROUP = 'crm_bridge';

const custom = (
  name: string,
  label: string,
  type: 'string' | 'number' | 'bool' | 'enumeration',
  values?: readonly string[],
): CustomPropertyInput => ({
  name,
  label,
  type,
  fieldType: { string: 'text', number: 'number', bool: 'booleancheckbox', enumeration: 'select' }[type],
  groupName: CRM_BRIDGE_GROUP,
  ...(values
    ? { options: values.map((value, displayOrder) => ({ label: value, value, displayOrder })) }
    : {}),
});

/** The example's twinId: each record keeps the id of its Salesforce twin, unique to it. */
const SALESFORCE_ID: CustomPropertyInput = {
  ...custom('crm_bridge_salesforce_id', 'Salesforce id (crm-bridge)', 'string'),
  hasUniqueValue: true,
};

/**
 * Exactly the custom properties config/example.yaml writes to HubSpot: a portal must have them before that
 * config can sync into it (a new portal has none, and HubSpot refuses a write to a property it does not have).
 * Types follow the Salesforce fields they are mapped to: numbers for counts, amounts and scores, checkboxes for
 * the opt-outs and the decision-maker flag, free text for the pain point and purchase timeline (text fields in
 * Salesforce, mapped without a value map), and dropdowns for the values crm-bridge's policy computes.
 */
export const EXAMPLE_CUSTOM_PROPERTIES: CustomProperties = {
  contacts: [
    custom('crm_bridge_employees', 'Employees (crm-bridge)', 'number'),
    custom('crm_bridge_email_opt_out', 'Email opt-out (crm-bridge)', 'bool'),
    custom('crm_bridge_do_not_call', 'Do not call (crm-bridge)', 'bool'),
    custom('budget', 'Budget', 'number'),
    custom('is_decision_maker', 'Decision maker', 'bool'),
    custom('pain_point', 'Pain point', 'string'),
    custom('purchase_timeline', 'Purchase timeline', 'string'),
    // The lead types the default policy assigns.
    custom('crm_bridge_lead_type', 'Lead type (crm-bridge)', 'enumeration', [
      'IQL',
      'MQL',
      'SQL',
      'SRL',
      'MSRL',
    ]),
    // The values of the example config's temperature value map.
    custom('crm_bridge_temperature', 'Temperature (crm-bridge)', 'enumeration', ['hot', 'warm', 'cold']),
    custom('crm_bridge_score', 'Score (crm-bridge)', 'number'),
    // Where a rep's check of a proposed conversion stands (the example's conversionProposal value map).
    custom('crm_bridge_conversion_proposal', 'Conversion proposal (crm-bridge)', 'enumeration', [
      'proposed',
      'accepted',
    ]),
    SALESFORCE_ID,
  ],
  companies: [SALESFORCE_ID],
  deals: [SALESFORCE_ID],
};
