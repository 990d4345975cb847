import type { PipedriveObject } from '../../connectors/pipedrive/standard-fields.ts';
import type { AccountSchema, FieldDef } from './schema.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What a value check may look up: whether referenced records and stages exist. */
export interface References {
  exists(object: PipedriveObject, id: unknown): boolean;
  stage(id: unknown): boolean;
  pipeline(id: unknown): boolean;
  leadLabel(id: unknown): boolean;
}

/** A write's values, split as the store keeps them. */
export interface CheckedWrite {
  readonly values: Record<string, unknown>;
  readonly custom: Record<string, unknown>;
}

/** Body members that are not field keys: the person's contact lists carry the `email` and `phone` fields. */
const LIST_MEMBERS: Readonly<Record<string, string>> = { emails: 'email', phones: 'phone' };

/**
 * Checks a v2 body (persons, organizations, deals: custom values under `custom_fields`) or a v1 lead body (custom
 * values at the top level) against the account's fields, as Pipedrive refuses them: an unknown member or custom
 * field key, a read-only field, a value of the wrong type, an option id the field lacks, an invalid e-mail, a
 * missing required field on create. Returns the values to store, or the message of the 400.
 */
export function checkWrite(
  schema: AccountSchema,
  refs: References,
  object: PipedriveObject,
  body: Record<string, unknown>,
  create: boolean,
): CheckedWrite | string {
  const values: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const [member, raw] of Object.entries(body)) {
    if (member === 'custom_fields' && object !== 'leads') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        return 'custom_fields: must be an object';
      for (const [key, value] of Object.entries(raw)) {
        const def = schema.get(object, key);
        if (!def?.custom) return `custom_fields: Custom field with key '${key}' does not exist`;
        const checked = checkValue(def, value, refs);
        if (typeof checked === 'object' && checked !== null && 'error' in checked)
          return `${key}: ${checked.error}`;
        custom[key] = checked;
      }
      continue;
    }
    const listOf = object === 'persons' ? LIST_MEMBERS[member] : undefined;
    if (listOf) {
      const list = checkContactList(member, raw, listOf === 'email');
      if (typeof list === 'string') return list;
      values[member] = list;
      continue;
    }
    const def = schema.get(object, member);
    if (!def || (def.custom && object !== 'leads') || member === 'email' || member === 'phone') {
      return `${member}: Parameter is not allowed`;
    }
    if (!def.edit_flag) return `${member}: Parameter is read-only`;
    const checked = checkValue(def, raw, refs);
    if (typeof checked === 'object' && checked !== null && 'error' in checked)
      return `${member}: ${checked.error}`;
    (def.custom ? custom : values)[member] = checked;
  }
  if (create) {
    const required = object === 'deals' || object === 'leads' ? 'title' : 'name';
    const given = values[required];
    if (typeof given !== 'string' || given.trim() === '') return `${required}: Parameter is required`;
    if (object === 'leads' && values.person_id == null && values.organization_id == null) {
      return 'person_id: A lead must be linked to a person or an organization (person_id or organization_id)';
    }
  }
  return { values, custom };
}

function checkContactList(member: string, raw: unknown, email: boolean): unknown[] | string {
  if (raw === null) return [];
  if (!Array.isArray(raw)) return `${member}: must be an array of { value, primary, label }`;
  const out: unknown[] = [];
  for (const [i, entry] of raw.entries()) {
    const e = entry as { value?: unknown; primary?: unknown; label?: unknown };
    if (typeof e !== 'object' || e === null || typeof e.value !== 'string') {
      return `${member}[${i}].value: must be a string`;
    }
    if (email && !EMAIL.test(e.value.trim()))
      return `${member}[${i}].value: Invalid email address '${e.value}'`;
    out.push({
      value: e.value.trim(),
      primary: e.primary === true,
      label: typeof e.label === 'string' ? e.label : 'work',
    });
  }
  if (out.length > 0 && !out.some((e) => (e as { primary: boolean }).primary)) {
    (out[0] as { primary: boolean }).primary = true;
  }
  return out;
}

/** Checks one value against its field's type; null clears any field. */
export function checkValue(def: FieldDef, raw: unknown, refs: References): unknown {
  if (raw === null) return null;
  const bad = (expected: string) => ({ error: `expected ${expected}; got ${JSON.stringify(raw)}` });
  if (def.key === 'pipeline_id') {
    return refs.pipeline(raw) ? raw : { error: `Pipeline with ID ${JSON.stringify(raw)} not found` };
  }
  switch (def.field_type) {
    case 'varchar':
    case 'varchar_auto':
    case 'text':
    case 'phone':
    case 'time':
      return typeof raw === 'string' ? raw : bad('a string');
    case 'double':
    case 'monetary':
      if (def.key === 'value' && typeof raw === 'object' && raw !== null) return checkLeadValue(raw);
      return typeof raw === 'number' && Number.isFinite(raw) ? raw : bad('a number');
    case 'int':
      return Number.isInteger(raw) ? raw : bad('an integer');
    case 'boolean':
      return typeof raw === 'boolean' ? raw : bad('true or false');
    case 'date':
      return typeof raw === 'string' && DAY.test(raw) && !Number.isNaN(Date.parse(raw))
        ? raw
        : bad('a date YYYY-MM-DD');
    case 'enum':
    case 'visible_to':
      return (def.options ?? []).some((o) => o.id === raw)
        ? raw
        : { error: `Option with ID ${JSON.stringify(raw)} does not exist for field '${def.name}'` };
    case 'set': {
      if (!Array.isArray(raw)) return bad('an array of option ids');
      if (def.key === 'label_ids' && def.options === undefined) {
        const unknown = raw.find((id) => !refs.leadLabel(id));
        return unknown === undefined
          ? raw
          : { error: `Lead label ${JSON.stringify(unknown)} does not exist` };
      }
      const missing = raw.find((id) => !(def.options ?? []).some((o) => o.id === id));
      return missing === undefined
        ? raw
        : { error: `Option with ID ${JSON.stringify(missing)} does not exist for field '${def.name}'` };
    }
    case 'status':
      return (def.options ?? []).some((o) => o.label === raw) ? raw : bad('open, won or lost');
    case 'address':
      if (
        typeof raw === 'object' &&
        !Array.isArray(raw) &&
        typeof (raw as { value?: unknown }).value === 'string'
      ) {
        return { value: (raw as { value: string }).value };
      }
      return bad('an address { value }');
    case 'user':
      return raw === 1 ? raw : { error: `User with ID ${JSON.stringify(raw)} does not exist` };
    case 'org':
      return refs.exists('organizations', raw)
        ? raw
        : { error: `Organization with ID ${JSON.stringify(raw)} not found` };
    case 'people':
      return refs.exists('persons', raw) ? raw : { error: `Person with ID ${JSON.stringify(raw)} not found` };
    case 'stage':
      return refs.stage(raw) ? raw : { error: `Stage with ID ${JSON.stringify(raw)} not found` };
    default:
      return raw;
  }
}

/** A lead's `value`: `{ amount, currency }`. */
function checkLeadValue(raw: object): unknown {
  const { amount, currency } = raw as { amount?: unknown; currency?: unknown };
  if (typeof amount !== 'number' || !Number.isFinite(amount))
    return { error: 'value.amount: expected a number' };
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    return { error: 'value.currency: expected a currency code such as USD' };
  }
  return { amount, currency };
}
