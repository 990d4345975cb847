import { field, type SandboxField } from './schema.ts';

/** A picklist value of a custom field's value set, as the Metadata API spells it. */
export interface CustomValue {
  /** The value's API name (what records hold). */
  readonly fullName: string;
  readonly default?: boolean;
  readonly label?: string;
}

/**
 * A CustomField as the Metadata API's createMetadata takes it (jsforce `conn.metadata.create('CustomField', …)`),
 * limited to the members the sandbox understands.
 */
export interface CustomFieldDefinition {
  /** `Object.Name__c`, e.g. `Lead.Lead_Score__c`. */
  readonly fullName: string;
  readonly label: string;
  readonly type: CustomFieldType;
  /** Text: 1..255; LongTextArea: 256..131,072. */
  readonly length?: number;
  /** LongTextArea: the rows the editor shows (required there). */
  readonly visibleLines?: number;
  /** Number, Currency, Percent: total digits, 1..18. */
  readonly precision?: number;
  /** Number, Currency, Percent: digits after the point, 0..precision. */
  readonly scale?: number;
  /** Checkbox: `'true'` or `'false'` (required there). */
  readonly defaultValue?: string;
  /** A record must fill it (not for Checkbox). */
  readonly required?: boolean;
  /** Text, Number or Email only: usable as an upsert key. */
  readonly externalId?: boolean;
  /** Text, Number or Email only: no two records share a value. */
  readonly unique?: boolean;
  readonly description?: string;
  readonly inlineHelpText?: string;
  /** Picklist: the values (a global value set is not supported). */
  readonly valueSet?: ValueSet;
}

/** A custom picklist's values. */
export interface ValueSet {
  /** Only these values can be written (the sandbox treats every picklist as restricted). */
  readonly restricted?: boolean;
  readonly valueSetDefinition?: { readonly sorted?: boolean; readonly value: readonly CustomValue[] };
}

export type CustomFieldType =
  | 'Text'
  | 'TextArea'
  | 'LongTextArea'
  | 'Number'
  | 'Currency'
  | 'Percent'
  | 'Checkbox'
  | 'Picklist'
  | 'Email'
  | 'Phone'
  | 'Url'
  | 'Date'
  | 'DateTime';

/** One error of a refused metadata component, as the Metadata API's SaveResult reports it. */
export interface MetadataError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** The result of one component of a createMetadata call. */
export interface MetadataSaveResult {
  readonly fullName: string;
  readonly success: boolean;
  readonly errors: readonly MetadataError[];
}

const DESCRIBE_TYPES: Readonly<Record<CustomFieldType, SandboxField['type']>> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Checkbox: 'boolean',
  Picklist: 'picklist',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Date: 'date',
  DateTime: 'datetime',
};

const KEYS = new Set<CustomFieldType>(['Text', 'Number', 'Email']);
/** A letter, then letters, digits and single underscores, not ending with one; then `__c`. */
const NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)__c$/;

/**
 * Checks a CustomField definition as the Metadata API does and describes the field it creates; `object` is the
 * target object's canonical name (or undefined when the org has none by that name), `exists` tells whether the
 * object already has a field of that name.
 */
export function customField(
  definition: CustomFieldDefinition,
  object: string | undefined,
  exists: (name: string) => boolean,
): { readonly object: string; readonly field: SandboxField } | { readonly errors: MetadataError[] } {
  const d = definition;
  const dot = d.fullName.indexOf('.');
  const name = dot < 0 ? '' : d.fullName.slice(dot + 1);
  const fail = (statusCode: string, message: string, fields: string[] = []) => ({
    errors: [{ statusCode, message, fields }],
  });
  if (object === undefined) {
    return fail(
      'INVALID_CROSS_REFERENCE_KEY',
      `no CustomObject named ${d.fullName.slice(0, Math.max(0, dot))} found`,
    );
  }
  if (!NAME.test(name) || name.length > 43) {
    return fail(
      'FIELD_INTEGRITY_EXCEPTION',
      `${name || d.fullName}: a custom field name starts with a letter, has only letters, digits and single underscores, at most 40 of them, and ends with __c`,
      ['fullName'],
    );
  }
  if (exists(name)) {
    return fail(
      'DUPLICATE_DEVELOPER_NAME',
      `There is already a field named ${name.slice(0, -3)} on ${object}.`,
      ['fullName'],
    );
  }
  const type = DESCRIBE_TYPES[d.type];
  if (type === undefined)
    return fail('FIELD_INTEGRITY_EXCEPTION', `unsupported field type ${String(d.type)}`, ['type']);
  const problem = requirementsOf(d);
  if (problem)
    return fail('FIELD_INTEGRITY_EXCEPTION', `${d.label || name}: ${problem.message}`, [problem.field]);
  const values = d.valueSet?.valueSetDefinition?.value ?? [];
  const fallback =
    d.type === 'Checkbox' ? d.defaultValue === 'true' : values.find((v) => v.default === true)?.fullName;
  return {
    object,
    field: field(name, {
      type,
      label: d.label,
      length: lengthOf(d),
      nillable: d.type !== 'Checkbox' && d.required !== true,
      defaultedOnCreate: d.type === 'Checkbox',
      externalId: d.externalId === true,
      unique: d.unique === true,
      picklistValues: values.map((v) => v.fullName),
      picklistLabels: Object.fromEntries(
        values.flatMap((v) => (v.label && v.label !== v.fullName ? [[v.fullName, v.label]] : [])),
      ),
      ...(d.precision !== undefined ? { precision: d.precision, scale: d.scale ?? 0 } : {}),
      ...(fallback !== undefined ? { defaultValue: fallback } : {}),
    }),
  };
}

/** What a definition of its type lacks or gets wrong, naming the member. */
function requirementsOf(d: CustomFieldDefinition): { field: string; message: string } | undefined {
  if (!d.label) return { field: 'label', message: 'Field Label: You must enter a value' };
  if (d.label.length > 40) return { field: 'label', message: 'Field Label: at most 40 characters' };
  if ((d.externalId || d.unique) && !KEYS.has(d.type))
    return { field: 'externalId', message: `a ${d.type} field cannot be an external id or unique` };
  switch (d.type) {
    case 'Text':
      return between(d.length, 1, 255, 'length', 'Length');
    case 'LongTextArea':
      return (
        between(d.length, 256, 131_072, 'length', 'Length') ??
        between(d.visibleLines, 2, 50, 'visibleLines', 'Visible Lines')
      );
    case 'Number':
    case 'Currency':
    case 'Percent':
      return (
        between(d.precision, 1, 18, 'precision', 'Length') ??
        between(d.scale, 0, d.precision ?? 0, 'scale', 'Decimal Places')
      );
    case 'Checkbox':
      if (d.required) return { field: 'required', message: 'a checkbox cannot be required' };
      return d.defaultValue === 'true' || d.defaultValue === 'false'
        ? undefined
        : { field: 'defaultValue', message: "Default Value: You must enter 'true' or 'false'" };
    case 'Picklist': {
      const values = d.valueSet?.valueSetDefinition?.value ?? [];
      if (values.length === 0)
        return { field: 'valueSet', message: 'Values: You must enter at least one value' };
      if (new Set(values.map((v) => v.fullName)).size < values.length)
        return { field: 'valueSet', message: 'Values: duplicate value' };
      if (values.filter((v) => v.default).length > 1)
        return { field: 'valueSet', message: 'Values: only one value can be the default' };
      return undefined;
    }
    default:
      return undefined;
  }
}

function between(
  value: number | undefined,
  min: number,
  max: number,
  member: string,
  label: string,
): { field: string; message: string } | undefined {
  if (value === undefined) return { field: member, message: `${label}: You must enter a value` };
  if (!Number.isInteger(value) || value < min || value > max)
    return { field: member, message: `${label}: must be between ${min} and ${max}` };
  return undefined;
}

function lengthOf(d: CustomFieldDefinition): number {
  switch (d.type) {
    case 'Text':
    case 'LongTextArea':
      return d.length ?? 0;
    case 'TextArea':
    case 'Url':
    case 'Picklist':
      return 255;
    case 'Email':
      return 80;
    case 'Phone':
      return 40;
    default:
      return 0;
  }
}
