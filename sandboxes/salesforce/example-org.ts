import type { CustomFieldDefinition, ValueSet } from './custom-fields.ts';
import type { SalesforceSandboxOptions } from './sandbox.ts';

/** A custom field for both person objects: config/example.yaml maps people to Lead and Contact alike. */
type PersonField = Omit<CustomFieldDefinition, 'fullName'> & { readonly name: string };

const picklist = (values: readonly string[]): ValueSet => ({
  restricted: true,
  valueSetDefinition: {
    sorted: false,
    value: values.map((v) => ({ fullName: v, default: false, label: v })),
  },
});

const PERSON_FIELDS: readonly PersonField[] = [
  {
    name: 'Lifecycle_Stage__c',
    label: 'Lifecycle Stage',
    type: 'Picklist',
    valueSet: picklist(['Prospect', 'Lead', 'MQL', 'SQL', 'Opportunity', 'Customer', 'Evangelist', 'Other']),
  },
  {
    name: 'Lead_Type__c',
    label: 'Lead Type',
    type: 'Picklist',
    valueSet: picklist(['IQL', 'MQL', 'SQL', 'SRL', 'MSRL']),
  },
  { name: 'Lead_Score__c', label: 'Lead Score', type: 'Number', precision: 18, scale: 0 },
  // Where a rep's check of a proposed conversion stands.
  {
    name: 'Conversion_Proposal__c',
    label: 'Conversion Proposal',
    type: 'Picklist',
    valueSet: picklist(['Proposed', 'Accepted']),
  },
  { name: 'Budget__c', label: 'Budget', type: 'Currency', precision: 18, scale: 2 },
  { name: 'Is_Decision_Maker__c', label: 'Is Decision Maker', type: 'Checkbox', defaultValue: 'false' },
  { name: 'Pain_Point__c', label: 'Pain Point', type: 'Text', length: 255 },
  { name: 'Purchase_Timeline__c', label: 'Purchase Timeline', type: 'Text', length: 80 },
  // The interest a person showed (HubSpot's conversion events and engagement, or a Web-to-Lead form's hidden fields),
  // so that a Salesforce record carries the same interest signals as its HubSpot twin.
  { name: 'First_Conversion__c', label: 'First Conversion', type: 'Text', length: 255 },
  { name: 'Recent_Conversion__c', label: 'Recent Conversion', type: 'Text', length: 255 },
  { name: 'Conversion_Count__c', label: 'Conversion Count', type: 'Number', precision: 18, scale: 0 },
  { name: 'Page_Views__c', label: 'Page Views', type: 'Number', precision: 18, scale: 0 },
  { name: 'Last_Engagement__c', label: 'Last Engagement', type: 'DateTime' },
];

/**
 * The custom fields config/example.yaml writes (on Lead and Contact, and its twin id field on every object), as
 * Metadata API CustomField definitions
 * (`conn.metadata.create('CustomField', …)` takes them as they are, at most 10 per call).
 */
export const EXAMPLE_CUSTOM_FIELDS: readonly CustomFieldDefinition[] = [
  ...['Lead', 'Contact'].flatMap((object) =>
    PERSON_FIELDS.map(({ name, ...definition }) => ({ fullName: `${object}.${name}`, ...definition })),
  ),
  // The example's twinId: each record keeps the id of its HubSpot twin, unique, so that a lost state store pairs
  // records again.
  ...['Lead', 'Contact', 'Account', 'Opportunity'].map(
    (object): CustomFieldDefinition => ({
      fullName: `${object}.HubSpot_Id__c`,
      label: 'HubSpot Id',
      type: 'Text',
      length: 32,
      externalId: true,
      unique: true,
    }),
  ),
];

/**
 * The org config/example.yaml expects: a new org plus what its admin set up for crm-bridge, its custom fields (the
 * example's value maps write only standard picklist values).
 */
export const EXAMPLE_ORG = {
  customFields: EXAMPLE_CUSTOM_FIELDS,
} as const satisfies SalesforceSandboxOptions;
