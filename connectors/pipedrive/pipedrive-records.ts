import type { ConnectorError } from '../../src/connector/errors.ts';
import type { ExternalRecord } from '../../src/connector/types.ts';
import type { FieldInfo, RawRecord } from './pipedrive-client.ts';
import type { ObjectFields } from './pipedrive-describe.ts';
import { CUSTOM_FIELD_KEY, type PipedriveObject } from './standard-fields.ts';

type Option = NonNullable<FieldInfo['options']>[number];

/** The members holding links to other records, by object and the linked object. */
const LINKS: Readonly<Record<PipedriveObject, Readonly<Record<string, string>>>> = {
  persons: { organizations: 'org_id' },
  organizations: {},
  deals: { persons: 'person_id', organizations: 'org_id' },
  leads: { persons: 'person_id', organizations: 'organization_id' },
};

const NUMERIC_TYPES = new Set(['double', 'monetary', 'int']);
const iso = (value: unknown): string | undefined => {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value,
  );
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};
const primary = (list: unknown): unknown => {
  if (!Array.isArray(list) || list.length === 0) return null;
  const entry = (list as { value?: unknown; primary?: unknown }[]).find((e) => e.primary) ?? list[0];
  return (entry as { value?: unknown }).value ?? null;
};
const labelOf = (options: readonly Option[], id: unknown) =>
  options.find((o) => String(o.id) === String(id))?.label;

/**
 * A record as the connector hands it on: the standard members as the API returned them, custom values under their
 * keys (and under the names asked for, when a field was asked for by name), a person's primary `email` and `phone`
 * beside the `emails` and `phones` lists, an address as its text, a lead's `value` as `value` and `currency`, and
 * option fields as their labels (`;` between the labels of a multiple-option field), since option ids differ from
 * one account to the next.
 */
export function toExternalRecord(
  object: PipedriveObject,
  raw: RawRecord,
  fields: ObjectFields,
  asked: readonly string[] = [],
): ExternalRecord {
  const values: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(raw)) {
    if (member === 'custom_fields' && typeof value === 'object' && value !== null)
      Object.assign(values, value);
    else values[member] = value;
  }
  if (object === 'persons') {
    values.email = primary(values.emails);
    values.phone = primary(values.phones);
  }
  if (object === 'leads') {
    const value = values.value as { amount?: unknown; currency?: unknown } | null | undefined;
    values.value = value?.amount ?? null;
    values.currency = value?.currency ?? null;
  }
  for (const [key, info] of fields.byKey) {
    const value = values[key];
    if (value === undefined || value === null) continue;
    if (info.field_type === 'address' && typeof value === 'object')
      values[key] = (value as { value?: unknown }).value ?? null;
    const options = info.options ?? [];
    if (options.length === 0 || info.field_type === 'status') continue;
    if (Array.isArray(value)) values[key] = value.map((id) => labelOf(options, id) ?? String(id)).join(';');
    else values[key] = labelOf(options, value) ?? value;
  }
  for (const name of asked) {
    const key = fields.keyByName.get(name);
    if (key !== undefined) values[name] = values[key] ?? null;
  }
  const associations: Record<string, string[]> = {};
  for (const [linked, member] of Object.entries(LINKS[object])) {
    const id = values[member];
    if (id !== null && id !== undefined) associations[linked] = [String(id)];
  }
  const modifiedAt = iso(values.update_time) ?? new Date(0).toISOString();
  const createdAt = iso(values.add_time);
  return {
    object,
    id: String(raw.id),
    fields: values,
    modifiedAt,
    ...(createdAt ? { createdAt } : {}),
    ...(values.is_deleted === true ? { deleted: true } : {}),
    ...(Object.keys(associations).length > 0 ? { associations } : {}),
  };
}

/**
 * The body of a create or update from a write's fields: names resolved to keys, custom values under
 * `custom_fields` (a lead's at the top level), a person's `email`/`phone` as its primary entry of `emails`/
 * `phones`, option labels as their ids, numbers from numeric text, a lead's `value` and `currency` as one
 * `{ amount, currency }`, and links from `associate`. A value the account cannot take is an error, not a guess.
 */
export function toBody(
  object: PipedriveObject,
  input: Readonly<Record<string, unknown>>,
  fields: ObjectFields,
  associate: Readonly<Record<string, readonly string[]>> = {},
): { body: Record<string, unknown> } | { error: ConnectorError } {
  const body: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  const leadValue: { amount?: unknown; currency?: unknown } = {};
  for (const [name, raw] of Object.entries(input)) {
    const key = fields.keyOf(name);
    const info = fields.byKey.get(key);
    const converted = wireValue(key, info, raw);
    if (typeof converted === 'object' && converted !== null && 'error' in converted) {
      return {
        error: {
          kind: 'invalid',
          message: `${name}: ${converted.error}`,
          code: 'INVALID_VALUE',
          fields: [name],
        },
      };
    }
    if (object === 'persons' && (key === 'email' || key === 'phone')) {
      body[`${key}s`] =
        converted === null || converted === '' ? [] : [{ value: converted, primary: true, label: 'work' }];
    } else if (object === 'leads' && (key === 'value' || key === 'currency')) {
      leadValue[key === 'value' ? 'amount' : 'currency'] = converted;
    } else if (CUSTOM_FIELD_KEY.test(key) && object !== 'leads') {
      custom[key] = converted;
    } else {
      body[key] = converted;
    }
  }
  if ('amount' in leadValue || 'currency' in leadValue) {
    if (leadValue.amount === null || leadValue.amount === undefined) body.value = null;
    else if (typeof leadValue.currency !== 'string' || leadValue.currency === '') {
      return {
        error: {
          kind: 'invalid',
          message: "value: a lead's value needs its currency (write currency too)",
          code: 'INVALID_VALUE',
          fields: ['value', 'currency'],
        },
      };
    } else body.value = { amount: leadValue.amount, currency: leadValue.currency };
  }
  if (Object.keys(custom).length > 0) body.custom_fields = custom;
  for (const [linked, ids] of Object.entries(associate)) {
    const member = LINKS[object][linked];
    const id = ids[0];
    if (member && id !== undefined) body[member] = Number(id);
  }
  return { body };
}

/** One value in the form the API takes for its field. */
function wireValue(key: string, info: FieldInfo | undefined, raw: unknown): unknown {
  if (raw === undefined) return null;
  if (!info) return raw;
  const type = info.field_type;
  if ((raw === '' || raw === null) && type !== 'varchar' && type !== 'text') return null;
  if (raw === null) return null;
  const options = info.options ?? [];
  if (options.length > 0 && type !== 'status') {
    const one = (value: unknown) => {
      const text = String(value).trim();
      const found =
        options.find((o) => o.label === text) ??
        options.find((o) => o.label.toLowerCase() === text.toLowerCase()) ??
        options.find((o) => String(o.id) === text);
      return found?.id;
    };
    const list = Array.isArray(raw)
      ? raw
      : type === 'set'
        ? String(raw)
            .split(';')
            .filter((v) => v.trim() !== '')
        : [raw];
    const ids = list.map(one);
    const bad = list.find((_, i) => ids[i] === undefined);
    if (bad !== undefined) {
      return {
        error: `"${String(bad)}" is not an option of ${info.name}; expected one of ${options.map((o) => o.label).join(', ')}`,
      };
    }
    return type === 'set' ? ids : ids[0];
  }
  if (NUMERIC_TYPES.has(type) && typeof raw === 'string') {
    const n = Number(raw.trim());
    return Number.isFinite(n) ? n : { error: `"${raw}" is not a number` };
  }
  if (type === 'address') return { value: String(raw) };
  if (
    (type === 'org' || type === 'people' || type === 'user' || type === 'stage' || key === 'pipeline_id') &&
    typeof raw === 'string'
  ) {
    return /^\d+$/.test(raw) ? Number(raw) : raw;
  }
  return raw;
}
