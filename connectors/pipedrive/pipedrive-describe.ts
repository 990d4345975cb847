import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { FieldDescription, ObjectSchema } from '../../src/connector/types.ts';
import type { Call } from './pipedrive-call.ts';
import type { FieldInfo } from './pipedrive-client.ts';
import { CUSTOM_FIELD_KEY, PIPEDRIVE_OBJECTS, type PipedriveObject } from './standard-fields.ts';

/** Standard fields the API fills in itself, whatever `edit_flag` says. */
const READ_ONLY = new Set([
  'id',
  'add_time',
  'update_time',
  'first_name',
  'last_name',
  'won_time',
  'lost_time',
  'close_time',
  'source_name',
  'creator_id',
  'cc_email',
]);

/** An object's fields, with the lookups the record mapper needs. */
export interface ObjectFields {
  readonly object: PipedriveObject;
  /** Every field by key. */
  readonly byKey: ReadonlyMap<string, FieldInfo>;
  /** Custom fields' keys by their name, for names that are unique among the object's fields. */
  readonly keyByName: ReadonlyMap<string, string>;
  /** The key a config's field name means: the key itself, or a custom field's name. */
  keyOf(name: string): string;
}

export function isPipedriveObject(object: string): object is PipedriveObject {
  return (PIPEDRIVE_OBJECTS as readonly string[]).includes(object);
}

export function requireObject(object: string): PipedriveObject {
  if (isPipedriveObject(object)) return object;
  throw new ConnectorFailure({
    kind: 'invalid',
    message: `Pipedrive has no object "${object}"; expected one of ${PIPEDRIVE_OBJECTS.join(', ')}`,
  });
}

/**
 * Field definitions from the `*Fields` endpoints, cached per object until `forget()`. A custom field is listed
 * under its 40-hex key and again under its name (when no other field has that name), so that a config may name
 * it either way: the key survives a rename in Pipedrive's settings, the name reads better.
 */
export class PipedriveDescriber {
  readonly #call: Call;
  readonly #cache = new Map<PipedriveObject, Promise<ObjectFields>>();

  constructor(call: Call) {
    this.#call = call;
  }

  forget(): void {
    this.#cache.clear();
  }

  fields(object: string): Promise<ObjectFields> {
    const name = requireObject(object);
    let fields = this.#cache.get(name);
    if (!fields) {
      fields = this.#load(name);
      fields.catch(() => this.#cache.delete(name));
      this.#cache.set(name, fields);
    }
    return fields;
  }

  async describe(object: string): Promise<ObjectSchema> {
    const fields = await this.fields(object);
    const out: FieldDescription[] = [];
    for (const info of fields.byKey.values()) out.push(describeField(info, info.key));
    for (const [name, key] of fields.keyByName) {
      const info = fields.byKey.get(key);
      if (info) out.push(describeField(info, name));
    }
    return { object, fields: out };
  }

  async #addNamedOptions(object: PipedriveObject, all: FieldInfo[]): Promise<void> {
    const named = await namedOptions(this.#call, object);
    for (const [key, options] of Object.entries(named)) {
      const index = all.findIndex((f) => f.key === key);
      const field = all[index];
      if (field && options && options.length > 0 && !(field.options && field.options.length > 0)) {
        all[index] = { ...field, options };
      }
    }
  }

  async #load(object: PipedriveObject): Promise<ObjectFields> {
    const all: FieldInfo[] = [];
    for (let start = 0; ; start += 500) {
      const page = await this.#call((api) => api.fields(object, start, 500));
      all.push(...page.items.filter((f) => f.active_flag !== false));
      if (!page.more) break;
    }
    await this.#addNamedOptions(object, all);
    // A lead's value is `{ amount, currency }` on the wire; the connector shows it as two fields.
    if (object === 'leads' && !all.some((f) => f.key === 'currency')) {
      all.push({ key: 'currency', name: 'Currency', field_type: 'varchar', edit_flag: true });
    }
    const byKey = new Map(all.map((f) => [f.key, f]));
    const names = new Map<string, number>();
    for (const f of all) names.set(f.name, (names.get(f.name) ?? 0) + 1);
    const keyByName = new Map(
      all
        .filter((f) => CUSTOM_FIELD_KEY.test(f.key) && names.get(f.name) === 1 && !byKey.has(f.name))
        .map((f) => [f.name, f.key]),
    );
    return { object, byKey, keyByName, keyOf: (name) => keyByName.get(name) ?? name };
  }
}

/**
 * Stages, pipelines and lead labels are listed by their own endpoints, not as field options; the connector makes
 * them options of `stage_id`, `pipeline_id` and a lead's `label_ids`, so that they too are read and written by name
 * (a stage as `Pipeline › Stage` when another pipeline has a stage of that name).
 */
async function namedOptions(
  call: Call,
  object: PipedriveObject,
): Promise<Record<string, FieldInfo['options']>> {
  if (object === 'leads') {
    const labels = await call((api) => api.leadLabels());
    return { label_ids: labels.map((l) => ({ id: l.id, label: l.name })) };
  }
  if (object !== 'deals') return {};
  const { pipelines, stages } = await call((api) => api.pipelines());
  const pipelineName = new Map(pipelines.map((p) => [p.id, p.name]));
  const count = new Map<string, number>();
  for (const s of stages) count.set(s.name, (count.get(s.name) ?? 0) + 1);
  return {
    pipeline_id: pipelines.map((p) => ({ id: p.id, label: p.name })),
    stage_id: stages.map((s) => ({
      id: s.id,
      label:
        (count.get(s.name) ?? 0) > 1
          ? `${pipelineName.get(s.pipeline_id ?? -1) ?? s.pipeline_id} › ${s.name}`
          : s.name,
    })),
  };
}

/** Option fields show their labels: the connector reads and writes labels, never the account's numeric ids. */
function describeField(info: FieldInfo, name: string): FieldDescription {
  return {
    name,
    type: info.field_type,
    label: info.name,
    required: info.mandatory_flag === true,
    writable: info.edit_flag !== false && !READ_ONLY.has(info.key),
    ...(info.options && info.options.length > 0
      ? { picklist: info.options.map((o) => ({ value: o.label, active: true })) }
      : {}),
  };
}
