import {
  ANALYTICS_SOURCES,
  COMPANY_TYPES,
  DEAL_TYPES,
  INDUSTRIES,
  LEAD_STATUSES,
  LIFECYCLE_STAGES,
} from '../../connectors/hubspot/standard-options.ts';

/** One HubSpot property definition as `/crm/v3/properties/:type` returns it (the fields the sandbox needs). */
export interface PropertyDef {
  /** The internal name written in configs and API calls. */
  readonly name: string;
  /** The name HubSpot's UI shows. */
  readonly label: string;
  /** string, number, enumeration, datetime, date, bool */
  readonly type: string;
  /** text, textarea, number, select, radio, checkbox, booleancheckbox, date, calculation_equation… */
  readonly fieldType: string;
  /** Enumeration options, in display order. */
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  /** Calculated or system-set: writes are refused with READ_ONLY_VALUE. */
  readonly readOnly?: boolean;
  /** Unique across records; only such a property can be an upsert `idProperty`. */
  readonly hasUniqueValue?: boolean;
  /** The property group it is shown in; HubSpot's own properties are in the type's default group. */
  readonly groupName?: string;
  /** Created in the portal (through the API or a sandbox option), not defined by HubSpot. */
  readonly custom?: boolean;
}

const text = (name: string, label: string): PropertyDef => ({
  name,
  label,
  type: 'string',
  fieldType: 'text',
});
const number = (name: string, label: string): PropertyDef => ({
  name,
  label,
  type: 'number',
  fieldType: 'number',
});
const bool = (name: string, label: string): PropertyDef => ({
  name,
  label,
  type: 'bool',
  fieldType: 'booleancheckbox',
  options: [
    { value: 'true', label: 'Yes' },
    { value: 'false', label: 'No' },
  ],
});
/**
 * The labels HubSpot shows for its own options where they are not the value's words (`salesqualifiedlead` is
 * "Sales Qualified Lead", `SOCIAL_MEDIA` "Organic Social"); the other options' labels are their words in title
 * case (`IN_PROGRESS` "In Progress"), as HubSpot's mostly are (a few of its industry labels carry punctuation the
 * value has lost, such as an ampersand).
 */
const OPTION_LABELS: Readonly<Record<string, string>> = {
  marketingqualifiedlead: 'Marketing Qualified Lead',
  salesqualifiedlead: 'Sales Qualified Lead',
  ATTEMPTED_TO_CONTACT: 'Attempted to Contact',
  SOCIAL_MEDIA: 'Organic Social',
  OFFLINE: 'Offline Sources',
  AI_REFERRALS: 'AI Referrals',
  newbusiness: 'New Business',
  existingbusiness: 'Existing Business',
  RE_ATTEMPTING: 'Re-attempting',
};
const SMALL_WORDS = new Set(['and', 'or', 'of', 'to', 'the']);
const optionLabel = (value: string): string =>
  OPTION_LABELS[value] ??
  value
    .toLowerCase()
    .split('_')
    .map((word, n) =>
      n > 0 && SMALL_WORDS.has(word) ? word : `${word[0]?.toUpperCase() ?? ''}${word.slice(1)}`,
    )
    .join(' ');
const select = (name: string, label: string, values: readonly string[]): PropertyDef => ({
  name,
  label,
  type: 'enumeration',
  fieldType: 'select',
  options: values.map((value) => ({ value, label: optionLabel(value) })),
});
const readOnly = (def: PropertyDef): PropertyDef => ({ ...def, readOnly: true });
const datetime = (name: string, label: string): PropertyDef => ({
  name,
  label,
  type: 'datetime',
  fieldType: 'date',
});

const system = (modified: string): PropertyDef[] => [
  readOnly(number('hs_object_id', 'Record ID')),
  readOnly(datetime('createdate', 'Create Date')),
  readOnly(datetime(modified, 'Last Modified Date')),
  readOnly(text('hs_merged_object_ids', 'Merged Record IDs')),
  text('hubspot_owner_id', 'Owner'),
];

const address = [
  text('address', 'Street Address'),
  text('city', 'City'),
  text('state', 'State/Region'),
  text('zip', 'Postal Code'),
  text('country', 'Country/Region'),
];

const lifecycle = select('lifecyclestage', 'Lifecycle Stage', LIFECYCLE_STAGES);

/**
 * The HubSpot-defined properties of a new portal that crm-bridge reads or writes, by object type; a new portal
 * has no custom property (those are created: see `PortalSchema`). Contacts keep their last-modified time in
 * `lastmodifieddate`, other objects in `hs_lastmodifieddate`, as in HubSpot.
 */
export const STANDARD_PROPERTIES: Readonly<Record<string, readonly PropertyDef[]>> = {
  contacts: [
    ...system('lastmodifieddate'),
    { ...text('email', 'Email'), hasUniqueValue: true },
    // A free-text property in HubSpot, not a dropdown.
    text('salutation', 'Salutation'),
    text('firstname', 'First Name'),
    text('lastname', 'Last Name'),
    text('phone', 'Phone Number'),
    text('mobilephone', 'Mobile Phone Number'),
    text('jobtitle', 'Job Title'),
    text('department', 'Department'),
    text('company', 'Company Name'),
    text('website', 'Website URL'),
    readOnly(text('hs_email_domain', 'Email Domain')),
    ...address,
    select('industry', 'Industry', INDUSTRIES),
    number('annualrevenue', 'Annual Revenue'),
    readOnly(select('hs_analytics_source', 'Original Source', ANALYTICS_SOURCES)),
    select('hs_lead_status', 'Lead Status', LEAD_STATUSES),
    { ...text('message', 'Message'), fieldType: 'textarea' },
    readOnly(text('first_conversion_event_name', 'First Conversion')),
    readOnly(text('recent_conversion_event_name', 'Recent Conversion')),
    readOnly(number('num_conversion_events', 'Number of Form Submissions')),
    readOnly(number('hs_analytics_num_page_views', 'Number of Pageviews')),
    readOnly(datetime('hs_last_sales_activity_timestamp', 'Last Engagement Date')),
    number('associatedcompanyid', 'Primary Associated Company ID'),
    lifecycle,
  ],
  companies: [
    ...system('hs_lastmodifieddate'),
    text('name', 'Company name'),
    text('website', 'Website URL'),
    text('domain', 'Company Domain Name'),
    text('phone', 'Phone Number'),
    select('industry', 'Industry', INDUSTRIES),
    number('numberofemployees', 'Number of Employees'),
    number('annualrevenue', 'Annual Revenue'),
    select('type', 'Type', COMPANY_TYPES),
    { ...text('description', 'Description'), fieldType: 'textarea' },
    ...address,
    lifecycle,
  ],
  deals: [
    ...system('hs_lastmodifieddate'),
    text('dealname', 'Deal Name'),
    number('amount', 'Amount'),
    datetime('closedate', 'Close Date'),
    // Options are the stage ids of every pipeline; filled in from the pipelines.
    select('dealstage', 'Deal Stage', []),
    select('pipeline', 'Pipeline', []),
    select('dealtype', 'Deal Type', DEAL_TYPES),
    text('hs_next_step', 'Next step'),
    { ...text('description', 'Deal Description'), fieldType: 'textarea' },
    readOnly(bool('hs_is_closed', 'Is Deal Closed?')),
    readOnly(bool('hs_is_closed_won', 'Is Closed Won')),
  ],
  leads: [
    ...system('hs_lastmodifieddate'),
    text('hs_lead_name', 'Lead name'),
    select('hs_lead_type', 'Lead type', ['NEW_BUSINESS', 'UPSELL', 'RE_ATTEMPTING']),
    select('hs_lead_label', 'Lead label', ['COLD', 'WARM', 'HOT']),
  ],
};

/** The group HubSpot's own properties of each object type are in, and the one a new portal starts with. */
export const DEFAULT_GROUPS: Readonly<Record<string, { readonly name: string; readonly label: string }>> = {
  contacts: { name: 'contactinformation', label: 'Contact information' },
  companies: { name: 'companyinformation', label: 'Company information' },
  deals: { name: 'dealinformation', label: 'Deal information' },
  leads: { name: 'leadinformation', label: 'Lead information' },
};

/** The property that holds an object type's last-modified time. */
export function modifiedProperty(type: string): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}
