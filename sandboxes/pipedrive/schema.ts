import { createHash } from 'node:crypto';
import {
  type FieldOption,
  PIPEDRIVE_OBJECTS,
  type PipedriveObject,
  STANDARD_FIELDS,
} from '../../connectors/pipedrive/standard-fields.ts';

/** A field definition as the account holds it. */
export interface FieldDef {
  readonly id: number;
  readonly key: string;
  readonly name: string;
  readonly field_type: string;
  readonly mandatory_flag: boolean;
  readonly edit_flag: boolean;
  readonly custom: boolean;
  readonly options?: readonly FieldOption[];
  readonly add_time: number;
}

/** A custom field to create: by name and type, with option labels for `enum` and `set`. */
export interface CustomFieldInput {
  readonly name: string;
  readonly field_type: string;
  readonly options?: readonly string[];
}

/** Custom fields an account has from the start, by object (leads share the deals' custom fields). */
export type CustomFields = Partial<Record<Exclude<PipedriveObject, 'leads'>, readonly CustomFieldInput[]>>;

/** The field types `POST /api/v1/*Fields` accepts. */
export const CUSTOM_FIELD_TYPES = [
  'varchar',
  'varchar_auto',
  'text',
  'double',
  'monetary',
  'date',
  'set',
  'enum',
  'user',
  'org',
  'people',
  'phone',
  'time',
  'timerange',
  'daterange',
  'address',
] as const;

/**
 * The account's fields by object: the standard ones of a new company and the custom ones created since, each keyed
 * by a 40-hex hash. Leads have no custom fields of their own: they show (and take) the deals' custom fields.
 */
export class AccountSchema {
  readonly #fields = new Map<PipedriveObject, Map<string, FieldDef>>();
  #nextId = 9001;
  #nextOption = 100;

  constructor(custom: CustomFields = {}, now = Date.now()) {
    for (const object of PIPEDRIVE_OBJECTS) {
      const defs = new Map<string, FieldDef>();
      for (const field of STANDARD_FIELDS[object]) {
        defs.set(field.key, {
          id: this.#nextId++,
          key: field.key,
          name: field.name,
          field_type: field.field_type,
          mandatory_flag: field.mandatory_flag === true,
          edit_flag: field.edit_flag !== false,
          custom: false,
          ...(field.options ? { options: field.options } : {}),
          add_time: now,
        });
      }
      this.#fields.set(object, defs);
    }
    for (const [object, inputs] of Object.entries(custom) as [
      Exclude<PipedriveObject, 'leads'>,
      CustomFieldInput[],
    ][]) {
      for (const input of inputs) this.create(object, input, now);
    }
  }

  /** Every field of an object, standard first, then custom in creation order (deals' custom fields for leads). */
  list(object: PipedriveObject): FieldDef[] {
    const own = [...(this.#fields.get(object)?.values() ?? [])];
    return object === 'leads' ? [...own, ...this.custom('deals')] : own;
  }

  get(object: PipedriveObject, key: string): FieldDef | undefined {
    return this.#fields.get(object)?.get(key) ?? (object === 'leads' ? this.#customDeal(key) : undefined);
  }

  custom(object: PipedriveObject): FieldDef[] {
    if (object === 'leads') return this.custom('deals');
    return [...(this.#fields.get(object)?.values() ?? [])].filter((f) => f.custom);
  }

  /** Creates a custom field with a fresh 40-hex key; option labels get numeric ids. */
  create(object: Exclude<PipedriveObject, 'leads'>, input: CustomFieldInput, now = Date.now()): FieldDef {
    const id = this.#nextId++;
    const key = createHash('sha1').update(`${object}:${id}:${input.name}`).digest('hex');
    const def: FieldDef = {
      id,
      key,
      name: input.name,
      field_type: input.field_type,
      mandatory_flag: false,
      edit_flag: true,
      custom: true,
      ...(input.options
        ? { options: input.options.map((label) => ({ id: this.#nextOption++, label })) }
        : {}),
      add_time: now,
    };
    this.#fields.get(object)?.set(key, def);
    return def;
  }

  #customDeal(key: string): FieldDef | undefined {
    const def = this.#fields.get('deals')?.get(key);
    return def?.custom ? def : undefined;
  }
}
