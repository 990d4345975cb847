import { LIFECYCLE_STAGES } from '../../connectors/hubspot/standard-options.ts';
import { contactExists, notFound, type RecordError, recordError } from './errors.ts';
import { PortalSchema, type PortalSetup } from './portal-schema.ts';
import { modifiedProperty, type PropertyDef } from './properties.ts';
import { checkValue, wireValue } from './validate.ts';

/** A CRM object as the sandbox holds it: every property value is a string, as on HubSpot's wire. */
export interface StoredObject {
  /** Numeric, from one counter for all types. */
  readonly id: string;
  /** contacts, companies, deals, leads. */
  readonly type: string;
  /** Set values only; a cleared property is absent. */
  properties: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; mirrored in the last-modified property. */
  updatedAt: number;
  /** Epoch ms, once archived. */
  archivedAt?: number;
}

export const isError = (value: unknown): value is RecordError =>
  typeof value === 'object' && value !== null && 'category' in value && 'status' in value;

/**
 * The sandbox's in-memory CRM: objects by type in id order, the e-mail index, associations, and a clock that
 * never goes backwards (but may repeat a millisecond, as HubSpot's timestamps do).
 */
export class HubSpotStore {
  readonly #setup: PortalSetup;
  #schema: PortalSchema;
  readonly #objects = new Map<string, Map<string, StoredObject>>();
  readonly #emails = new Map<string, string>();
  readonly #links = new Map<string, Set<string>>();
  /**
   * Ids of live objects by value, per unique property (`type\u0000name`): built on the property's first check,
   * then kept by every write, so that a unique value is checked in constant time, as HubSpot's index does.
   */
  readonly #unique = new Map<string, Map<string, Set<string>>>();
  /** API writes (creates and updates) per `type/id`: seeds and test edits are not counted. */
  readonly #writes = new Map<string, number>();
  readonly #clock: () => number;
  #lastTime = 0;
  #nextId = 1001;

  constructor(clock: () => number = Date.now, setup: PortalSetup = {}) {
    this.#clock = clock;
    this.#setup = setup;
    this.#schema = new PortalSchema(setup);
  }

  /** The portal's properties, property groups and pipelines. */
  get schema(): PortalSchema {
    return this.#schema;
  }

  /** Property definitions by object type, then name. */
  get defs(): Map<string, Map<string, PropertyDef>> {
    return this.#schema.defs;
  }

  now(): number {
    this.#lastTime = Math.max(this.#clock(), this.#lastTime);
    return this.#lastTime;
  }

  types(): string[] {
    return [...this.defs.keys()];
  }

  /** Live (or archived) objects of a type, in id order. */
  all(type: string, archived = false): StoredObject[] {
    const out: StoredObject[] = [];
    for (const o of this.#objects.get(type)?.values() ?? []) {
      if ((o.archivedAt !== undefined) === archived) out.push(o);
    }
    return out;
  }

  get(type: string, id: string, archived = false): StoredObject | undefined {
    const o = this.#objects.get(type)?.get(id);
    return o && (o.archivedAt !== undefined) === archived ? o : undefined;
  }

  /** A live object by a unique property (`email` for contacts) or by id. */
  findBy(type: string, property: string | undefined, value: string): StoredObject | undefined {
    if (property === undefined || property === 'hs_object_id') return this.get(type, value);
    if (type === 'contacts' && property === 'email') {
      const id = this.#emails.get(value.trim().toLowerCase());
      return id === undefined ? undefined : this.get(type, id);
    }
    if (this.defs.get(type)?.get(property)?.hasUniqueValue === true)
      return this.#owner(type, property, value);
    return this.all(type).find((o) => o.properties[property] === value);
  }

  create(type: string, input: Readonly<Record<string, unknown>>): StoredObject | RecordError {
    const checked = this.#check(type, undefined, input);
    if (isError(checked)) return checked;
    const object = this.#insert(type, {});
    this.#apply(object, checked, this.now());
    this.#noteWrite(type, object.id);
    return object;
  }

  update(type: string, id: string, input: Readonly<Record<string, unknown>>): StoredObject | RecordError {
    const object = this.get(type, id);
    if (!object) return notFound(type, id);
    const checked = this.#check(type, object, input);
    if (isError(checked)) return checked;
    this.#apply(object, checked, this.now());
    this.#noteWrite(type, id);
    return object;
  }

  /** API writes per record id of a type (records never written through the API are absent). */
  writes(type: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const [key, n] of this.#writes)
      if (key.startsWith(`${type}/`)) out.set(key.slice(type.length + 1), n);
    return out;
  }

  #noteWrite(type: string, id: string): void {
    const key = `${type}/${id}`;
    this.#writes.set(key, (this.#writes.get(key) ?? 0) + 1);
  }

  /** The error a write would fail with, without writing (atomic batches validate first). */
  validate(
    type: string,
    id: string | undefined,
    input: Readonly<Record<string, unknown>>,
  ): RecordError | undefined {
    const current = id === undefined ? undefined : this.get(type, id);
    if (id !== undefined && !current) return notFound(type, id);
    const checked = this.#check(type, current, input);
    return isError(checked) ? checked : undefined;
  }

  /** Inserts records as given, unvalidated (seeding and tests); timestamps default to now. */
  seed(type: string, records: readonly Readonly<Record<string, unknown>>[], at?: number): StoredObject[] {
    const time = at ?? this.now();
    return records.map((record) => {
      const object = this.#insert(type, {});
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(record)) values[k] = wireValue(v);
      this.#apply(object, values, time);
      return object;
    });
  }

  /** Changes objects as a user would; `at` forces one shared last-modified time (ms). */
  touch(
    type: string,
    ids: readonly string[],
    fields: Readonly<Record<string, unknown>> = {},
    at?: number,
  ): void {
    const time = at ?? this.now();
    for (const id of ids) {
      const object = this.get(type, id);
      if (!object) throw new Error(`no ${type} ${id} in the sandbox`);
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(fields)) values[k] = wireValue(v);
      this.#apply(object, values, time);
    }
  }

  archive(type: string, id: string): boolean {
    const object = this.get(type, id);
    if (!object) return false;
    object.archivedAt = this.now();
    if (type === 'contacts') this.#unindex(object);
    this.#forgetUnique(object);
    return true;
  }

  /** Merges `mergedId` into `primaryId`: the merged record disappears and the survivor lists it. */
  merge(type: string, primaryId: string, mergedId: string): StoredObject {
    const primary = this.get(type, primaryId);
    const merged = this.get(type, mergedId);
    if (!primary || !merged) throw new Error(`cannot merge ${type} ${mergedId} into ${primaryId}`);
    if (type === 'contacts') this.#unindex(merged);
    this.#forgetUnique(merged);
    this.#objects.get(type)?.delete(mergedId);
    const ids = (primary.properties.hs_merged_object_ids ?? '').split(';').filter((s) => s !== '');
    this.#apply(primary, { hs_merged_object_ids: [...ids, mergedId].join(';') }, this.now());
    return primary;
  }

  associate(fromType: string, fromId: string, toType: string, toId: string): void {
    this.#link(fromType, fromId, toType, toId);
    this.#link(toType, toId, fromType, fromId);
  }

  associated(fromType: string, fromId: string, toType: string): string[] {
    return [...(this.#links.get(`${fromType}:${fromId}:${toType}`) ?? [])];
  }

  count(type: string): number {
    return this.all(type).length;
  }

  /** Forgets every record, and every property, group and pipeline made since the portal was set up. */
  clear(): void {
    this.#schema = new PortalSchema(this.#setup);
    this.#writes.clear();
    this.#objects.clear();
    this.#emails.clear();
    this.#links.clear();
    this.#unique.clear();
  }

  #link(fromType: string, fromId: string, toType: string, toId: string): void {
    const key = `${fromType}:${fromId}:${toType}`;
    const set = this.#links.get(key) ?? new Set<string>();
    set.add(toId);
    this.#links.set(key, set);
  }

  #insert(type: string, properties: Record<string, string>): StoredObject {
    const id = String(this.#nextId++);
    const object: StoredObject = { id, type, properties, createdAt: 0, updatedAt: 0 };
    let bucket = this.#objects.get(type);
    if (!bucket) {
      bucket = new Map();
      this.#objects.set(type, bucket);
    }
    bucket.set(id, object);
    return object;
  }

  #check(
    type: string,
    current: StoredObject | undefined,
    input: Readonly<Record<string, unknown>>,
  ): Record<string, string> | RecordError {
    const defs = this.defs.get(type);
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(input)) {
      const value = checkValue(defs?.get(name), name, raw);
      if (isError(value)) return value;
      out[name] = value;
    }
    if (type === 'contacts' && out.email) {
      const owner = this.#emails.get(out.email.toLowerCase());
      if (owner !== undefined && owner !== current?.id) return contactExists(owner);
    }
    for (const [name, value] of Object.entries(out)) {
      if (name === 'email' || value === '' || defs?.get(name)?.hasUniqueValue !== true) continue;
      const owner = this.#owner(type, name, value, current?.id);
      if (owner) {
        return recordError(
          409,
          'CONFLICT',
          `${value} is already the ${name} of ${type} ${owner.id}; ${name} is unique`,
        );
      }
    }
    if (type === 'deals') {
      const pipeline = out.pipeline || current?.properties.pipeline || 'default';
      const stage = out.dealstage ?? current?.properties.dealstage;
      if (stage && !this.#schema.stage(pipeline, stage)) {
        return checkValue(undefined, 'dealstage', stage) as RecordError;
      }
    }
    return out;
  }

  #apply(object: StoredObject, values: Record<string, string>, time: number): void {
    const props = object.properties;
    const created = object.createdAt === 0;
    if (object.type === 'contacts') this.#unindex(object);
    for (const [name, value] of Object.entries(values)) {
      if (name === 'lifecyclestage' && !lifecycleMoves(props.lifecyclestage, value)) continue;
      const index = this.#unique.get(`${object.type}\u0000${name}`);
      if (index !== undefined) {
        if (props[name] !== undefined) index.get(props[name])?.delete(object.id);
        if (value !== '') index.set(value, (index.get(value) ?? new Set()).add(object.id));
      }
      if (value === '') delete props[name];
      else props[name] = value;
    }
    if (created) {
      object.createdAt = time;
      props.createdate = new Date(time).toISOString();
      props.hs_object_id = object.id;
    }
    object.updatedAt = time;
    props[modifiedProperty(object.type)] = new Date(time).toISOString();
    if (object.type === 'contacts') {
      if (props.email) {
        props.email = props.email.toLowerCase();
        this.#emails.set(props.email, object.id);
        props.hs_email_domain = props.email.split('@')[1] ?? '';
      } else delete props.hs_email_domain;
    }
    if (object.type === 'deals') {
      props.pipeline ||= 'default';
      const stage = props.dealstage ? this.#schema.stage(props.pipeline, props.dealstage) : undefined;
      props.hs_is_closed = String(stage?.closed ?? false);
      props.hs_is_closed_won = String(stage?.closed === true && stage.probability === 1);
    }
  }

  /** The live object other than `except` holding `value` in a unique property, through its index. */
  #owner(type: string, name: string, value: string, except?: string): StoredObject | undefined {
    const key = `${type}\u0000${name}`;
    let index = this.#unique.get(key);
    if (index === undefined) {
      index = new Map();
      for (const o of this.all(type)) {
        const held = o.properties[name];
        if (held !== undefined) index.set(held, (index.get(held) ?? new Set()).add(o.id));
      }
      this.#unique.set(key, index);
    }
    for (const id of index.get(value) ?? []) {
      const owner = id === except ? undefined : this.get(type, id);
      if (owner?.properties[name] === value) return owner;
    }
    return undefined;
  }

  /** Takes an object that is no longer live out of the unique-value indexes. */
  #forgetUnique(object: StoredObject): void {
    for (const [key, index] of this.#unique) {
      const [type, name = ''] = key.split('\u0000');
      const value = object.properties[name];
      if (type === object.type && value !== undefined) index.get(value)?.delete(object.id);
    }
  }

  #unindex(object: StoredObject): void {
    const email = object.properties.email;
    if (email && this.#emails.get(email) === object.id) this.#emails.delete(email);
  }
}

/** HubSpot moves a lifecycle stage only forward; an earlier stage is accepted and silently ignored; '' clears. */
function lifecycleMoves(current: string | undefined, next: string): boolean {
  if (next === '' || current === undefined) return true;
  const order = LIFECYCLE_STAGES as readonly string[];
  return order.indexOf(next) >= order.indexOf(current);
}
