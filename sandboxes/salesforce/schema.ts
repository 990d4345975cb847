import {
  ACCOUNT_TYPES,
  CONVERTED_LEAD_STATUS,
  DEFAULT_LEAD_STATUS,
  INDUSTRIES,
  LEAD_SOURCES,
  LEAD_STATUSES,
  OPPORTUNITY_STAGES,
  OPPORTUNITY_TYPES,
  RATINGS,
  SALUTATIONS,
} from '../../connectors/salesforce/standard-picklists.ts';

/** How the sandbox describes one field; a subset of Salesforce's DescribeFieldResult. */
export interface SandboxField {
  /** The API name, e.g. `Email`, `Lead_Score__c`. */
  readonly name: string;
  /** Salesforce's field type; it decides validation, SOQL literal types and CSV typing. */
  readonly type:
    | 'id'
    | 'string'
    | 'email'
    | 'phone'
    | 'url'
    | 'textarea'
    | 'picklist'
    | 'boolean'
    | 'double'
    | 'currency'
    | 'int'
    | 'percent'
    | 'date'
    | 'datetime'
    | 'reference';
  readonly label: string;
  /** Maximum text length (0 for non-text fields). */
  readonly length: number;
  /** False for fields a record must fill (unless defaulted on create). */
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  /** Filled by the server on create. */
  readonly defaultedOnCreate: boolean;
  /** Usable as the key of an upsert collection. */
  readonly externalId: boolean;
  readonly unique: boolean;
  /** The restricted picklist's values (all active). */
  readonly picklistValues: readonly string[];
  /** The label of each value whose label is not the value itself (an admin may name them apart). */
  readonly picklistLabels?: Readonly<Record<string, string>>;
  /** The value a create that leaves the field out gets: a picklist's default value, a checkbox's default. */
  readonly defaultValue?: string | boolean;
  /** Numbers: total digits, and digits after the point (a value needs fewer than precision - scale before it). */
  readonly precision?: number;
  readonly scale?: number;
  /** Objects a reference field points to; `self` for MasterRecordId. */
  readonly referenceTo: readonly string[];
}

export type FieldSpec = Partial<Omit<SandboxField, 'name'>> & Pick<SandboxField, 'type'>;

export const LENGTHS: Partial<Record<SandboxField['type'], number>> = {
  id: 18,
  reference: 18,
  string: 255,
  email: 80,
  phone: 40,
  url: 255,
  textarea: 32000,
  picklist: 255,
};

/** A field description with Salesforce's defaults for anything `spec` leaves out. */
export function field(name: string, spec: FieldSpec): SandboxField {
  return {
    name,
    label: name.replace(/__c$/, '').replace(/_/g, ' '),
    length: LENGTHS[spec.type] ?? 0,
    nillable: true,
    createable: true,
    updateable: true,
    defaultedOnCreate: false,
    externalId: false,
    unique: false,
    picklistValues: [],
    referenceTo: [],
    ...spec,
  };
}

const readOnly = { createable: false, updateable: false } as const;

/** Fields every sandbox object carries, maintained by the server. */
function systemFields(): SandboxField[] {
  return [
    field('Id', { type: 'id', nillable: false, ...readOnly, defaultedOnCreate: true }),
    field('IsDeleted', { type: 'boolean', nillable: false, ...readOnly, defaultedOnCreate: true }),
    field('CreatedDate', { type: 'datetime', nillable: false, ...readOnly, defaultedOnCreate: true }),
    field('LastModifiedDate', { type: 'datetime', nillable: false, ...readOnly, defaultedOnCreate: true }),
    field('SystemModstamp', { type: 'datetime', nillable: false, ...readOnly, defaultedOnCreate: true }),
  ];
}

const text = (name: string, length = 255, spec: Partial<FieldSpec> = {}) =>
  field(name, { type: 'string', length, ...spec });
const picklist = (name: string, values: readonly string[], spec: Partial<FieldSpec> = {}) =>
  field(name, { type: 'picklist', picklistValues: values, ...spec });
const ref = (name: string, to: string, spec: Partial<FieldSpec> = {}) =>
  field(name, { type: 'reference', referenceTo: [to], ...spec });

export { LEAD_STATUSES, OPPORTUNITY_STAGES };
/** The org's converted lead status (LeadStatus.IsConverted = true). */
export const CONVERTED_STATUS = CONVERTED_LEAD_STATUS;

function personFields(): SandboxField[] {
  return [
    picklist('Salutation', SALUTATIONS),
    text('FirstName', 40),
    text('LastName', 80, { nillable: false }),
    field('Email', { type: 'email' }),
    field('Phone', { type: 'phone' }),
    field('MobilePhone', { type: 'phone' }),
    text('Title', 128),
    picklist('LeadSource', LEAD_SOURCES),
    field('Description', { type: 'textarea' }),
    field('HasOptedOutOfEmail', { type: 'boolean', nillable: false, defaultedOnCreate: true }),
    field('DoNotCall', { type: 'boolean', nillable: false, defaultedOnCreate: true }),
  ];
}

const address = (prefix: string) => [
  field(`${prefix}Street`, { type: 'textarea', length: 255 }),
  text(`${prefix}City`, 40),
  text(`${prefix}State`, 80),
  text(`${prefix}PostalCode`, 20),
  text(`${prefix}Country`, 80),
];

const merged = () => ref('MasterRecordId', 'self', readOnly);

/** The objects and fields of a new org, as describe reports them (an OrgSchema adds what the org creates). */
export const STANDARD_OBJECTS: Readonly<Record<string, readonly SandboxField[]>> = {
  Lead: [
    ...systemFields(),
    merged(),
    ...personFields(),
    text('Company', 255, { nillable: false }),
    field('Website', { type: 'url' }),
    ...address(''),
    picklist('Industry', INDUSTRIES),
    field('NumberOfEmployees', { type: 'int' }),
    field('AnnualRevenue', { type: 'currency' }),
    picklist('Status', LEAD_STATUSES, {
      nillable: false,
      defaultedOnCreate: true,
      defaultValue: DEFAULT_LEAD_STATUS,
    }),
    picklist('Rating', RATINGS),
    field('IsConverted', { type: 'boolean', nillable: false, ...readOnly, defaultedOnCreate: true }),
    field('ConvertedDate', { type: 'date', ...readOnly }),
    ref('ConvertedAccountId', 'Account', readOnly),
    ref('ConvertedContactId', 'Contact', readOnly),
    ref('ConvertedOpportunityId', 'Opportunity', readOnly),
  ],
  Contact: [
    ...systemFields(),
    merged(),
    ...personFields(),
    ref('AccountId', 'Account'),
    text('Department', 80),
    ...address('Mailing'),
  ],
  Account: [
    ...systemFields(),
    merged(),
    text('Name', 255, { nillable: false }),
    field('Website', { type: 'url' }),
    field('Phone', { type: 'phone' }),
    picklist('Industry', INDUSTRIES),
    field('NumberOfEmployees', { type: 'int' }),
    field('AnnualRevenue', { type: 'currency' }),
    picklist('Type', ACCOUNT_TYPES),
    picklist('Rating', RATINGS),
    field('Description', { type: 'textarea' }),
    ...address('Billing'),
  ],
  Opportunity: [
    ...systemFields(),
    text('Name', 120, { nillable: false }),
    ref('AccountId', 'Account'),
    field('Amount', { type: 'currency' }),
    field('CloseDate', { type: 'date', nillable: false }),
    picklist('StageName', OPPORTUNITY_STAGES, { nillable: false }),
    picklist('Type', OPPORTUNITY_TYPES),
    text('NextStep', 255),
    field('Description', { type: 'textarea' }),
    field('IsClosed', { type: 'boolean', nillable: false, ...readOnly, defaultedOnCreate: true }),
    field('IsWon', { type: 'boolean', nillable: false, ...readOnly, defaultedOnCreate: true }),
    picklist('LeadSource', LEAD_SOURCES),
  ],
  OpportunityContactRole: [
    ...systemFields(),
    ref('OpportunityId', 'Opportunity', { nillable: false }),
    ref('ContactId', 'Contact', { nillable: false }),
    picklist('Role', ['Decision Maker', 'Economic Buyer', 'Influencer', 'Technical Buyer', 'Other']),
    field('IsPrimary', { type: 'boolean', nillable: false, defaultedOnCreate: true }),
  ],
  LeadStatus: [
    ...systemFields(),
    text('MasterLabel', 255, readOnly),
    text('ApiName', 255, readOnly),
    field('IsConverted', { type: 'boolean', ...readOnly }),
    field('SortOrder', { type: 'int', ...readOnly }),
  ],
  // The org's users (the API user only) and how their field access is granted: permission sets, created through the
  // Metadata API, and their assignments, created as records.
  User: [
    ...systemFields(),
    text('Username', 80, { ...readOnly, nillable: false }),
    text('Name', 121, readOnly),
    field('Email', { type: 'email', ...readOnly }),
    field('IsActive', { type: 'boolean', nillable: false, ...readOnly, defaultedOnCreate: true }),
  ],
  PermissionSet: [
    ...systemFields(),
    text('Name', 80, { ...readOnly, nillable: false }),
    text('Label', 80, { ...readOnly, nillable: false }),
    field('IsOwnedByProfile', { type: 'boolean', nillable: false, ...readOnly, defaultedOnCreate: true }),
  ],
  PermissionSetAssignment: [
    ...systemFields(),
    ref('AssigneeId', 'User', { nillable: false, updateable: false }),
    ref('PermissionSetId', 'PermissionSet', { nillable: false, updateable: false }),
  ],
};

/** Objects whose records only the org itself creates (through setup or the Metadata API), never a REST create. */
export const SETUP_OBJECTS: ReadonlySet<string> = new Set(['LeadStatus', 'User', 'PermissionSet']);

/** Id prefixes as Salesforce assigns them (the first three characters name the object). */
export const ID_PREFIXES: Readonly<Record<string, string>> = {
  Lead: '00Q',
  Contact: '003',
  Account: '001',
  Opportunity: '006',
  OpportunityContactRole: '00K',
  LeadStatus: '01J',
  User: '005',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
};
