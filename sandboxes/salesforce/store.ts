import { DEFAULT_CREDENTIALS, USER_ID } from './auth.ts';
import { formatDateTime, ModstampClock } from './clock.ts';
import { OrgSchema } from './org-schema.ts';
import { CONVERTED_STATUS, ID_PREFIXES, LEAD_STATUSES } from './schema.ts';

/** A stored record: field name → value, always with Id, IsDeleted and the system timestamps. */
export type StoredRecord = Record<string, unknown> & { readonly Id: string };

export interface DeletedEntry {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly deletedAt: number;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * 18-character ids whose byte order is their creation order, like Salesforce's within one org pod. As in Salesforce,
 * the 15 case-sensitive characters end in a 3-character suffix that encodes their case, so that no two ids are
 * equal ignoring case (a system that compares ids without case, as HubSpot's unique values may, tells them apart).
 */
function makeId(prefix: string, n: number): string {
  let body = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) body = ALPHABET[v % 62] + body;
  return withCaseSuffix(`${prefix}${'0'.repeat(3)}${body.padStart(9, '0')}`);
}

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** A 15-character Salesforce id with its case suffix: per 5 characters, a bit for each upper-case letter. */
export function withCaseSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i] ?? '';
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return id15 + suffix;
}

/** The sandbox org's records, in memory; deleted records stay (IsDeleted = true) for queryAll and getDeleted. */
export class SandboxStore {
  readonly clock = new ModstampClock();
  /** The org's objects and fields (a new org's, unless given). */
  readonly schema: OrgSchema;
  readonly #objects = new Map<string, Map<string, StoredRecord>>();
  readonly #deletedAt = new Map<string, number>();
  /** API writes (creates and updates through the REST API) per `object/id`: seeds and test edits are not counted. */
  readonly #writes = new Map<string, number>();
  #sequence = 0;

  readonly #username: string;

  /** `username`: the API user's, whose record the org holds. */
  constructor(schema: OrgSchema = new OrgSchema(), username = DEFAULT_CREDENTIALS.username) {
    this.schema = schema;
    this.#username = username;
    this.reset();
  }

  /** Empties the org and re-creates its fixed data: the lead statuses, the API user and the permission sets. */
  reset(): void {
    this.#writes.clear();
    this.#objects.clear();
    this.#deletedAt.clear();
    for (const object of this.schema.objects()) this.#objects.set(object, new Map());
    LEAD_STATUSES.forEach((label, i) => {
      this.insert('LeadStatus', {
        MasterLabel: label,
        ApiName: label,
        IsConverted: label === CONVERTED_STATUS,
        SortOrder: i + 1,
      });
    });
    const name = this.#username.split('@')[0] ?? 'admin';
    this.insert(
      'User',
      { Username: this.#username, Name: name, Email: this.#username, IsActive: true },
      USER_ID,
    );
    for (const p of this.schema.permissionSets())
      this.insert('PermissionSet', { Name: p.fullName, Label: p.label });
  }

  #table(object: string): Map<string, StoredRecord> {
    const table = this.#objects.get(object);
    if (!table) throw new Error(`unknown sandbox object ${object}`);
    return table;
  }

  /** Stores a new record with server-maintained fields and defaults; values are assumed valid. */
  insert(object: string, fields: Readonly<Record<string, unknown>>, fixedId?: string): StoredRecord {
    const stamp = formatDateTime(this.clock.next());
    const id = fixedId ?? makeId(ID_PREFIXES[object] ?? '0XX', ++this.#sequence);
    const record: StoredRecord = { ...this.#defaults(object), ...this.#canonical(object, fields), Id: id };
    Object.assign(record, {
      IsDeleted: false,
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    });
    this.#table(object).set(id, record);
    return record;
  }

  /** Counts one API write of a record. */
  noteWrite(object: string, id: string): void {
    const key = `${object}/${id}`;
    this.#writes.set(key, (this.#writes.get(key) ?? 0) + 1);
  }

  /** API writes per record id of an object (records never written through the API are absent). */
  writes(object: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const [key, n] of this.#writes)
      if (key.startsWith(`${object}/`)) out.set(key.slice(object.length + 1), n);
    return out;
  }

  /** Changes fields of a live record and bumps its timestamps. */
  update(object: string, id: string, fields: Readonly<Record<string, unknown>>): StoredRecord {
    const record = this.get(object, id);
    if (!record || record.IsDeleted) throw new Error(`no live ${object} ${id}`);
    const stamp = formatDateTime(this.clock.next());
    Object.assign(record, this.#canonical(object, fields), {
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    });
    return record;
  }

  /** Soft-deletes a record; `masterId` marks it as merged into that record. */
  remove(object: string, id: string, masterId?: string): void {
    const record = this.get(object, id);
    if (!record || record.IsDeleted) return;
    const at = this.clock.next();
    Object.assign(record, { IsDeleted: true, SystemModstamp: formatDateTime(at) });
    if (masterId !== undefined) Object.assign(record, { MasterRecordId: masterId });
    this.#deletedAt.set(id, at);
  }

  get(object: string, id: string): StoredRecord | undefined {
    return this.#table(object).get(id);
  }

  /** Every record of the object, deleted ones included, in insertion order. */
  all(object: string): IterableIterator<StoredRecord> {
    return this.#table(object).values();
  }

  /** Live records of the object. */
  count(object: string): number {
    let n = 0;
    for (const r of this.all(object)) if (!r.IsDeleted) n++;
    return n;
  }

  /** Records deleted within [start, end] (epoch ms). */
  deletedBetween(object: string, start: number, end: number): DeletedEntry[] {
    const out: DeletedEntry[] = [];
    for (const record of this.all(object)) {
      const at = this.#deletedAt.get(record.Id);
      if (at !== undefined && at >= start && at <= end) out.push({ id: record.Id, deletedAt: at });
    }
    return out;
  }

  /** Field names as the schema spells them (callers may use any case, as with Salesforce). */
  #canonical(object: string, fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields))
      out[this.schema.findField(object, name)?.name ?? name] = value;
    return out;
  }

  /** A new record's values before the create's: nulls, false checkboxes and the fields' defaults. */
  #defaults(object: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of this.schema.allFields(object)) {
      if (f.name === 'Id') continue;
      out[f.name] = f.defaultValue ?? (f.type === 'boolean' && !f.nillable ? false : null);
    }
    return out;
  }
}
