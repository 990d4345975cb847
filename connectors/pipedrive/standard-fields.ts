/**
 * The fields a new Pipedrive company account has on persons, organizations, deals and leads, as its `*Fields`
 * endpoints list them (key, name, field_type, options). A sandbox imports them to start as a new company; the
 * connector names them where it must know a standard field (the e-mail and phone lists, the lead's value).
 * Custom fields are not here: an account creates them, each keyed by a 40-hex hash.
 */

/** One option of an `enum` or `set` field: Pipedrive stores and returns the numeric id. */
export interface FieldOption {
  readonly id: number;
  readonly label: string;
}

/** A field definition in the shape `GET /api/v1/personFields` (and the others) returns. */
export interface StandardField {
  readonly key: string;
  readonly name: string;
  /** varchar, text, double, int, monetary, enum, set, date, phone, address, org, people, user, stage, status, visible_to… */
  readonly field_type: string;
  /** Required on create. */
  readonly mandatory_flag?: boolean;
  /** False for fields the API fills in itself (ids, times, counts). */
  readonly edit_flag?: boolean;
  readonly options?: readonly FieldOption[];
}

/** The objects crm-bridge reads and writes, by the path segment the API names them with. */
export const PIPEDRIVE_OBJECTS = ['persons', 'organizations', 'deals', 'leads'] as const;
export type PipedriveObject = (typeof PIPEDRIVE_OBJECTS)[number];

const VISIBLE_TO: readonly FieldOption[] = [
  { id: 1, label: 'Owner & followers' },
  { id: 3, label: 'Entire company' },
];

/** The labels a new account offers for persons and organizations. */
export const CONTACT_LABELS: readonly FieldOption[] = [
  { id: 1, label: 'Customer' },
  { id: 2, label: 'Hot lead' },
  { id: 3, label: 'Warm lead' },
  { id: 4, label: 'Cold lead' },
];

/** A deal's status; `deleted` is set by a delete, never written. */
export const DEAL_STATUSES: readonly FieldOption[] = [
  { id: 1, label: 'open' },
  { id: 2, label: 'won' },
  { id: 3, label: 'lost' },
];

/** The deal labels a new account offers. */
export const DEAL_LABELS: readonly FieldOption[] = [
  { id: 1, label: 'Hot' },
  { id: 2, label: 'Warm' },
  { id: 3, label: 'Cold' },
];

/** The lead labels a new account offers (`GET /api/v1/leadLabels`); leads refer to them by these UUIDs. */
export const LEAD_LABELS: readonly { readonly id: string; readonly name: string; readonly color: string }[] =
  [
    { id: 'f08b42a0-4e75-11ea-9643-03698ef1cfd6', name: 'Hot', color: 'red' },
    { id: 'f08b42a1-4e75-11ea-9643-03698ef1cfd6', name: 'Warm', color: 'yellow' },
    { id: 'f08b42a2-4e75-11ea-9643-03698ef1cfd6', name: 'Cold', color: 'blue' },
  ];

/** The one pipeline of a new account, and its stages in order. */
export const DEFAULT_PIPELINE = {
  id: 1,
  name: 'Pipeline',
  stages: [
    { id: 1, name: 'Qualified', deal_probability: 100 },
    { id: 2, name: 'Contact Made', deal_probability: 100 },
    { id: 3, name: 'Demo Scheduled', deal_probability: 100 },
    { id: 4, name: 'Proposal Made', deal_probability: 100 },
    { id: 5, name: 'Negotiations Started', deal_probability: 100 },
  ],
} as const;

const readOnly = (key: string, name: string, field_type: string): StandardField => ({
  key,
  name,
  field_type,
  edit_flag: false,
});

const common: readonly StandardField[] = [
  readOnly('id', 'ID', 'int'),
  { key: 'owner_id', name: 'Owner', field_type: 'user' },
  readOnly('add_time', 'Created', 'date'),
  readOnly('update_time', 'Update time', 'date'),
  { key: 'visible_to', name: 'Visible to', field_type: 'visible_to', options: VISIBLE_TO },
];

/** Standard fields by object, as a new company account lists them. */
export const STANDARD_FIELDS: Readonly<Record<PipedriveObject, readonly StandardField[]>> = {
  persons: [
    ...common,
    { key: 'name', name: 'Name', field_type: 'varchar', mandatory_flag: true },
    // Pipedrive splits `name` into these itself; the v2 API takes only `name`.
    readOnly('first_name', 'First name', 'varchar'),
    readOnly('last_name', 'Last name', 'varchar'),
    { key: 'email', name: 'Email', field_type: 'varchar' },
    { key: 'phone', name: 'Phone', field_type: 'phone' },
    { key: 'job_title', name: 'Job title', field_type: 'varchar' },
    { key: 'birthday', name: 'Birthday', field_type: 'date' },
    { key: 'postal_address', name: 'Postal address', field_type: 'address' },
    { key: 'org_id', name: 'Organization', field_type: 'org' },
    { key: 'label_ids', name: 'Labels', field_type: 'set', options: CONTACT_LABELS },
  ],
  organizations: [
    ...common,
    { key: 'name', name: 'Name', field_type: 'varchar', mandatory_flag: true },
    { key: 'address', name: 'Address', field_type: 'address' },
    { key: 'website', name: 'Website', field_type: 'varchar' },
    { key: 'linkedin', name: 'LinkedIn profile', field_type: 'varchar' },
    { key: 'industry', name: 'Industry', field_type: 'varchar' },
    { key: 'annual_revenue', name: 'Annual revenue', field_type: 'double' },
    { key: 'employee_count', name: 'Number of employees', field_type: 'int' },
    { key: 'label_ids', name: 'Labels', field_type: 'set', options: CONTACT_LABELS },
  ],
  deals: [
    ...common,
    { key: 'title', name: 'Title', field_type: 'varchar', mandatory_flag: true },
    { key: 'value', name: 'Value', field_type: 'monetary' },
    { key: 'currency', name: 'Currency', field_type: 'varchar' },
    { key: 'person_id', name: 'Contact person', field_type: 'people' },
    { key: 'org_id', name: 'Organization', field_type: 'org' },
    { key: 'pipeline_id', name: 'Pipeline', field_type: 'double' },
    { key: 'stage_id', name: 'Stage', field_type: 'stage' },
    { key: 'status', name: 'Status', field_type: 'status', options: DEAL_STATUSES },
    { key: 'probability', name: 'Probability', field_type: 'double' },
    { key: 'expected_close_date', name: 'Expected close date', field_type: 'date' },
    { key: 'lost_reason', name: 'Lost reason', field_type: 'varchar' },
    { key: 'label_ids', name: 'Label', field_type: 'set', options: DEAL_LABELS },
    readOnly('won_time', 'Won time', 'date'),
    readOnly('lost_time', 'Lost time', 'date'),
    readOnly('close_time', 'Deal closed on', 'date'),
  ],
  leads: [
    readOnly('id', 'ID', 'varchar'),
    { key: 'title', name: 'Title', field_type: 'varchar', mandatory_flag: true },
    { key: 'owner_id', name: 'Owner', field_type: 'user' },
    { key: 'person_id', name: 'Contact person', field_type: 'people' },
    { key: 'organization_id', name: 'Organization', field_type: 'org' },
    /** `{ amount, currency }` on the wire. */
    { key: 'value', name: 'Value', field_type: 'monetary' },
    { key: 'expected_close_date', name: 'Expected close date', field_type: 'date' },
    { key: 'label_ids', name: 'Labels', field_type: 'set' },
    { key: 'visible_to', name: 'Visible to', field_type: 'visible_to', options: VISIBLE_TO },
    { key: 'was_seen', name: 'Was seen', field_type: 'boolean' },
    { key: 'is_archived', name: 'Archived', field_type: 'boolean' },
    readOnly('source_name', 'Source', 'varchar'),
    readOnly('add_time', 'Created', 'date'),
    readOnly('update_time', 'Update time', 'date'),
  ],
};

/** The `*Fields` endpoint of each object (v1 paths: `/api/v1/personFields`…). */
export const FIELDS_ENDPOINT: Readonly<Record<PipedriveObject, string>> = {
  persons: 'personFields',
  organizations: 'organizationFields',
  deals: 'dealFields',
  leads: 'leadFields',
};

/** A custom field's key: 40 lower-case hex digits. */
export const CUSTOM_FIELD_KEY = /^[0-9a-f]{40}$/;
