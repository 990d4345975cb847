import type { SandboxField } from './schema.ts';
import type { SandboxStore } from './store.ts';

/** One error of a failed record, in the shape of Salesforce's collection results. */
export interface RecordError {
  /** Salesforce's code, e.g. `REQUIRED_FIELD_MISSING`. */
  readonly statusCode: string;
  readonly message: string;
  /** The fields blamed (may be empty). */
  readonly fields: readonly string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMERIC = new Set<SandboxField['type']>(['double', 'currency', 'int', 'percent']);

/**
 * Checks one record's fields as Salesforce's save does: writable fields, types, lengths, restricted picklists,
 * e-mail format, required fields (on create, or when an update blanks them) and references.
 */
export function validateFields(
  store: SandboxStore,
  object: string,
  fields: Readonly<Record<string, unknown>>,
  mode: 'create' | 'update',
): RecordError[] {
  const errors: RecordError[] = [];
  const readOnly: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const field = store.schema.findField(object, name);
    if (!field) {
      errors.push(error('INVALID_FIELD', `No such column '${name}' on sobject of type ${object}`, [name]));
      continue;
    }
    if (!(mode === 'create' ? field.createable : field.updateable)) {
      readOnly.push(field.name);
      continue;
    }
    const problem = value === null || value === undefined ? undefined : checkValue(store, field, value);
    if (problem) errors.push(problem);
  }
  if (readOnly.length > 0) {
    errors.push(
      error(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to ${mode} fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      ),
    );
  }
  const missing = missingRequired(store, object, fields, mode);
  if (missing.length > 0) {
    errors.push(
      error('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing),
    );
  }
  return errors;
}

function missingRequired(
  store: SandboxStore,
  object: string,
  fields: Readonly<Record<string, unknown>>,
  mode: string,
): string[] {
  const given = new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
  return store.schema
    .fields(object)
    .filter((f) => !f.nillable && f.createable && !f.defaultedOnCreate && f.type !== 'boolean')
    .filter((f) => {
      const value = given.get(f.name.toLowerCase());
      const blank = value === null || value === '' || (value === undefined && mode === 'create');
      return blank;
    })
    .map((f) => f.name);
}

function checkValue(store: SandboxStore, field: SandboxField, value: unknown): RecordError | undefined {
  const typeError = () =>
    error('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${String(value)}`, [
      field.name,
    ]);
  if (NUMERIC.has(field.type)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return typeError();
    const digits = field.precision === undefined ? undefined : field.precision - (field.scale ?? 0);
    if (digits !== undefined && Math.abs(value) >= 10 ** digits) {
      return error(
        'NUMBER_OUTSIDE_VALID_RANGE',
        `${field.label}: value outside of valid range on numeric field: ${value}`,
        [field.name],
      );
    }
    return undefined;
  }
  if (field.type === 'boolean') return typeof value === 'boolean' ? undefined : typeError();
  if (typeof value !== 'string') return typeError();
  if (field.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return typeError();
  if (field.length > 0 && value.length > field.length) {
    return error(
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${value.slice(0, 40)} (max length=${field.length})`,
      [field.name],
    );
  }
  if (field.type === 'email' && !EMAIL.test(value)) {
    return error('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [field.name]);
  }
  if (field.type === 'picklist' && !field.picklistValues.includes(value)) {
    return error(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `${field.label}: bad value for restricted picklist field: ${value}`,
      [field.name],
    );
  }
  if (field.type === 'reference' && field.referenceTo[0] !== 'self') {
    const target = field.referenceTo[0] ?? '';
    const found = store.get(target, value);
    if (!found || found.IsDeleted) {
      return error('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]);
    }
  }
  return undefined;
}

export function error(statusCode: string, message: string, fields: readonly string[] = []): RecordError {
  return { statusCode, message, fields };
}

/** Live people's e-mail addresses (lower case) → record id, built once per request. */
export function emailIndex(store: SandboxStore, object: string): Map<string, string> {
  const index = new Map<string, string>();
  if (object !== 'Lead' && object !== 'Contact') return index;
  for (const r of store.all(object)) {
    if (!r.IsDeleted && typeof r.Email === 'string') index.set(r.Email.toLowerCase(), r.Id);
  }
  return index;
}

/**
 * The org's duplicate rule on e-mail for people: another live record of the same object with the same address
 * (case-insensitive) blocks the save, as Salesforce's standard duplicate rules report it.
 */
export function duplicateError(
  index: ReadonlyMap<string, string>,
  email: unknown,
  selfId: string | undefined,
): RecordError | undefined {
  if (typeof email !== 'string' || email === '') return undefined;
  const owner = index.get(email.toLowerCase());
  return owner !== undefined && owner !== selfId
    ? error('DUPLICATES_DETECTED', 'Use one of these records?', [])
    : undefined;
}
