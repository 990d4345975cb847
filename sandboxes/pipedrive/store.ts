import { randomUUID } from 'node:crypto';
import {
  DEFAULT_PIPELINE,
  LEAD_LABELS,
  type PipedriveObject,
} from '../../connectors/pipedrive/standard-fields.ts';
import { AccountSchema, type CustomFields } from './schema.ts';
import { type CheckedWrite, checkWrite, type References } from './validate.ts';

/** A record as the account holds it. */
export interface StoredRecord {
  /** Numeric per object; a lead's is a UUID. */
  readonly id: number | string;
  readonly object: PipedriveObject;
  /** Standard members in their wire form (a person's `emails` and `phones` lists, a lead's `value` object). */
  values: Record<string, unknown>;
  /** Custom field values by 40-hex key. */
  custom: Record<string, unknown>;
  /** Epoch ms; the API shows it to the second (leads: to the millisecond). */
  readonly addTime: number;
  updateTime: number;
  /** Epoch ms, once deleted: a deleted record is listed nowhere but in recents (and deals with status=deleted). */
  deletedAt?: number;
  /** A deal made by converting a lead: that lead's id. */
  sourceLeadId?: string;
}

/** A lead-to-deal conversion job, as `GET /api/v2/leads/:id/convert/status/:conversion_id` reports it. */
export interface ConversionJob {
  readonly conversionId: string;
  readonly leadId: string;
  readonly dealId: number;
  /** Epoch ms when the job reports `completed` (before: `running`). */
  readonly doneAt: number;
}

/**
 * The sandbox's company account: records by object in id order, the account's fields, one pipeline, lead labels,
 * conversion jobs, and a clock that never goes backwards (many records may share one second, as in Pipedrive).
 */
export class PipedriveStore {
  #schema: AccountSchema;
  readonly #custom: CustomFields;
  readonly #records = new Map<PipedriveObject, Map<string, StoredRecord>>();
  readonly #conversions = new Map<string, ConversionJob>();
  readonly #writes = new Map<string, number>();
  readonly #clock: () => number;
  #lastTime = 0;
  /** The next id of each object: Pipedrive numbers persons, organizations and deals each from 1. */
  readonly #nextId = new Map<PipedriveObject, number>();
  /** How long a conversion job reports `running` before `completed`. */
  conversionMs = 0;
  /** List records of one second in an order unrelated to their ids (Pipedrive promises no order among them). */
  scrambleTies = false;
  /** How long search takes to see a write (Pipedrive's search index trails writes by a few seconds). */
  searchLagMs = 0;

  constructor(clock: () => number = Date.now, custom: CustomFields = {}) {
    this.#clock = clock;
    this.#custom = custom;
    this.#schema = new AccountSchema(custom, clock());
    this.clear();
  }

  get schema(): AccountSchema {
    return this.#schema;
  }

  now(): number {
    this.#lastTime = Math.max(this.#clock(), this.#lastTime);
    return this.#lastTime;
  }

  /** Forgets every record, conversion and custom field created since the start. */
  clear(): void {
    for (const object of ['persons', 'organizations', 'deals', 'leads'] as const)
      this.#records.set(object, new Map());
    this.#conversions.clear();
    this.#writes.clear();
    this.#nextId.clear();
    this.#schema = new AccountSchema(this.#custom, this.now());
  }

  readonly refs: References = {
    exists: (object, id) => this.get(object, id) !== undefined,
    stage: (id) => DEFAULT_PIPELINE.stages.some((s) => s.id === id),
    pipeline: (id) => id === DEFAULT_PIPELINE.id,
    leadLabel: (id) => LEAD_LABELS.some((l) => l.id === id),
  };

  /** A live record (not deleted), or undefined. */
  get(object: PipedriveObject, id: unknown): StoredRecord | undefined {
    const record = this.#records.get(object)?.get(String(id));
    return record && record.deletedAt === undefined ? record : undefined;
  }

  /** Every record of an object, deleted ones included, in id order. */
  all(object: PipedriveObject): StoredRecord[] {
    return [...(this.#records.get(object)?.values() ?? [])];
  }

  count(object: PipedriveObject): number {
    return this.all(object).filter((r) => r.deletedAt === undefined).length;
  }

  /** API writes per record id (creates and updates; seeds and touches are not counted). */
  writes(object: PipedriveObject): Map<string, number> {
    const prefix = `${object}/`;
    return new Map(
      [...this.#writes].filter(([k]) => k.startsWith(prefix)).map(([k, n]) => [k.slice(prefix.length), n]),
    );
  }

  /** Creates a record through the API: checked as Pipedrive checks it. */
  create(object: PipedriveObject, body: Record<string, unknown>): StoredRecord | string {
    const checked = checkWrite(this.#schema, this.refs, object, body, true);
    if (typeof checked === 'string') return checked;
    const record = this.insert(object, checked);
    this.#countWrite(record);
    return record;
  }

  /** Updates a live record through the API; undefined when there is none. */
  update(
    object: PipedriveObject,
    id: string,
    body: Record<string, unknown>,
  ): StoredRecord | string | undefined {
    const record = this.get(object, id);
    if (!record) return undefined;
    const checked = checkWrite(this.#schema, this.refs, object, body, false);
    if (typeof checked === 'string') return checked;
    const required = object === 'deals' || object === 'leads' ? 'title' : 'name';
    if (required in checked.values && !checked.values[required])
      return `${required}: Parameter cannot be empty`;
    this.#apply(record, checked);
    this.#countWrite(record);
    return record;
  }

  /** Marks a record deleted (Pipedrive keeps it 30 days, listed only in recents); false when there is none. */
  delete(object: PipedriveObject, id: string): boolean {
    const record = this.get(object, id);
    if (!record) return false;
    record.deletedAt = this.now();
    record.updateTime = record.deletedAt;
    if (object === 'leads') this.#records.get(object)?.delete(String(record.id));
    return true;
  }

  /** Puts a record in as it is (no checks, no write counted): for seeds and tests. */
  insert(object: PipedriveObject, write: CheckedWrite, at?: number): StoredRecord {
    const time = at ?? this.now();
    const next = this.#nextId.get(object) ?? 1;
    if (object !== 'leads') this.#nextId.set(object, next + 1);
    const id = object === 'leads' ? randomUUID() : next;
    const record: StoredRecord = { id, object, values: {}, custom: {}, addTime: time, updateTime: time };
    this.#apply(record, write, time);
    this.#records.get(object)?.set(String(id), record);
    return record;
  }

  /** Changes records as a user would in the app (no write counted); `at` gives them all one update time. */
  touch(object: PipedriveObject, ids: readonly (string | number)[], write: CheckedWrite, at?: number): void {
    for (const id of ids) {
      const record = this.get(object, id);
      if (record) this.#apply(record, write, at);
    }
  }

  /**
   * Converts a lead into a deal in the default pipeline's first stage (or the stage given), carrying its title,
   * value, person, organization, owner and custom values; the lead is deleted. Returns the job.
   */
  convert(leadId: string, stageId?: number): ConversionJob | undefined {
    const lead = this.get('leads', leadId);
    if (!lead) return undefined;
    const v = lead.values;
    const value = v.value as { amount: number; currency: string } | null | undefined;
    const deal = this.insert('deals', {
      values: {
        title: v.title,
        ...(value ? { value: value.amount, currency: value.currency } : {}),
        person_id: v.person_id ?? null,
        org_id: v.organization_id ?? null,
        owner_id: v.owner_id ?? 1,
        pipeline_id: DEFAULT_PIPELINE.id,
        stage_id: stageId ?? DEFAULT_PIPELINE.stages[0].id,
        status: 'open',
      },
      custom: { ...lead.custom },
    });
    deal.sourceLeadId = leadId;
    this.delete('leads', leadId);
    const job: ConversionJob = {
      conversionId: randomUUID(),
      leadId,
      dealId: deal.id as number,
      doneAt: this.now() + this.conversionMs,
    };
    this.#conversions.set(job.conversionId, job);
    return job;
  }

  conversion(conversionId: string): ConversionJob | undefined {
    return this.#conversions.get(conversionId);
  }

  #apply(record: StoredRecord, write: CheckedWrite, at?: number): void {
    Object.assign(record.values, write.values);
    Object.assign(record.custom, write.custom);
    if (record.object === 'persons' && typeof write.values.name === 'string') {
      const parts = write.values.name.trim().split(/\s+/);
      record.values.first_name = parts.length > 1 ? parts.slice(0, -1).join(' ') : (parts[0] ?? '');
      record.values.last_name = parts.length > 1 ? parts.at(-1) : null;
    }
    if (record.object === 'deals' && record.values.status === undefined) record.values.status = 'open';
    if (record.object === 'deals' && record.values.pipeline_id === undefined) {
      record.values.pipeline_id = DEFAULT_PIPELINE.id;
      record.values.stage_id ??= DEFAULT_PIPELINE.stages[0].id;
    }
    record.values.owner_id ??= 1;
    record.updateTime = at ?? this.now();
  }

  #countWrite(record: StoredRecord): void {
    const key = `${record.object}/${record.id}`;
    this.#writes.set(key, (this.#writes.get(key) ?? 0) + 1);
  }
}
