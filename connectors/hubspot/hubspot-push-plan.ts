import type { ConnectorError } from '../../src/connector/errors.ts';
import type { Write } from '../../src/connector/types.ts';
import type { BatchAction } from './hubspot-batch.ts';
import type { WriteInput } from './hubspot-client.ts';
import { toHubSpotProperties } from './hubspot-values.ts';

/** Inputs that go to HubSpot in one kind of batch call. */
export interface PlannedGroup {
  readonly action: BatchAction;
  /** Each input's `objectWriteTraceId` is the index of its write. */
  readonly inputs: WriteInput[];
}

type CreateInput = { readonly objectWriteTraceId: string; readonly properties: Record<string, string> };

/** A company write matched by domain, waiting for the search that finds its id. */
export interface DomainWrite {
  readonly index: number;
  /** Lower-cased. */
  readonly domain: string;
  readonly properties: Readonly<Record<string, string>>;
  /** The caller read every company and none has the domain (`Write.expectNew`). */
  readonly expectNew: boolean;
}

export interface PushPlanOptions {
  /** Send contact creates that carry an e-mail as upserts by e-mail. */
  readonly upsertContactsByEmail: boolean;
}

/**
 * Sorts writes into batch groups (updates by id, upserts per unique property, creates) without any call. A write
 * that repeats a key already in the same push (an id, an e-mail, a domain) is refused as a conflict instead,
 * because HubSpot refuses a whole batch that names one record twice.
 */
export class PushPlan {
  readonly groups = new Map<string, PlannedGroup>();
  /** Writes refused before sending, by index. */
  readonly refused = new Map<number, ConnectorError>();
  /** Company writes matched by domain; `matchDomains` turns them into updates or creates. */
  readonly byDomain: DomainWrite[] = [];
  readonly #writes: readonly Write[];
  readonly #seen = new Map<string, number>();
  /** Creates, waiting for `settleCreates` to know the unique properties. */
  readonly creates: {
    readonly index: number;
    readonly input: CreateInput;
    readonly keys: readonly string[];
  }[] = [];

  constructor(type: string, writes: readonly Write[], options: PushPlanOptions) {
    this.#writes = writes;
    writes.forEach((write, index) => {
      const properties = toHubSpotProperties(write.fields);
      const objectWriteTraceId = String(index);
      const upsert = write.upsertBy;
      if (write.id !== undefined) {
        this.#add(
          index,
          'update',
          'update',
          { id: write.id, objectWriteTraceId, properties },
          `id ${write.id}`,
        );
      } else if (upsert && type === 'companies' && upsert.field === 'domain') {
        const domain = upsert.value.trim().toLowerCase();
        this.byDomain.push({ index, domain, properties, expectNew: write.expectNew === true });
      } else if (upsert) {
        const id = upsert.field === 'email' ? upsert.value.trim().toLowerCase() : upsert.value;
        const input = { id, idProperty: upsert.field, objectWriteTraceId, properties };
        this.#add(index, 'upsert', `upsert:${upsert.field}`, input, `${upsert.field} ${id}`);
      } else if (type === 'contacts' && options.upsertContactsByEmail && properties.email) {
        const email = properties.email.trim().toLowerCase();
        const input = { id: email, idProperty: 'email', objectWriteTraceId, properties };
        this.#add(index, 'upsert', 'upsert:email', input, `email ${email}`);
      } else {
        this.creates.push({ index, input: { objectWriteTraceId, properties }, keys: [] });
      }
    });
  }

  /**
   * Plans the creates (after `matchDomains`): each is sent as an upsert by the first of `unique` (properties whose
   * values HubSpot keeps unique) it carries a value of, so that a retry finds what an attempt whose answer was lost
   * made; a create without one is a plain create.
   */
  settleCreates(unique: ReadonlySet<string>): void {
    for (const { index, input, keys } of this.creates.splice(0)) {
      const field = Object.keys(input.properties).find((name) => unique.has(name) && input.properties[name]);
      if (field === undefined) this.#add(index, 'create', 'create', input, ...keys);
      else {
        const id = input.properties[field] as string;
        const upsert = { ...input, id, idProperty: field };
        this.#add(index, 'upsert', `upsert:${field}`, upsert, ...keys, `${field} ${id}`);
      }
    }
  }

  /**
   * Takes out of `byDomain` the companies the caller expects to be new that carry a value of one of `unique`
   * (properties whose values HubSpot keeps unique): they are created with their domain, sent as upserts by that
   * value (`settleCreates`), with no search first; a retry after a lost answer finds what the first attempt made by
   * it. Returns how many; the others still wait for the search (`matchDomains`).
   */
  createExpected(unique: ReadonlySet<string>): number {
    const searched: DomainWrite[] = [];
    let created = 0;
    for (const write of this.byDomain.splice(0)) {
      const { index, domain, properties } = write;
      if (!write.expectNew || !Object.keys(properties).some((name) => unique.has(name) && properties[name])) {
        searched.push(write);
        continue;
      }
      const input = { objectWriteTraceId: String(index), properties: { domain, ...properties } };
      this.creates.push({ index, input, keys: [`domain ${domain}`] });
      created++;
    }
    this.byDomain.push(...searched);
    return created;
  }

  /** Plans the domain-matched companies: an update of the company found for the domain, else a create. */
  matchDomains(found: ReadonlyMap<string, string>): void {
    for (const { index, domain, properties } of this.byDomain) {
      const objectWriteTraceId = String(index);
      const id = found.get(domain);
      const withDomain = { domain, ...properties };
      if (id)
        this.#add(
          index,
          'update',
          'update',
          { id, objectWriteTraceId, properties: withDomain },
          `domain ${domain}`,
        );
      else
        this.creates.push({
          index,
          input: { objectWriteTraceId, properties: withDomain },
          keys: [`domain ${domain}`],
        });
    }
  }

  #add(index: number, action: BatchAction, group: string, input: WriteInput, ...keys: string[]): void {
    for (const key of keys) {
      const first = this.#seen.get(key);
      if (first !== undefined) {
        this.refused.set(index, {
          kind: 'conflict',
          message: `the same push already writes ${key} (write ${this.#writes[first]?.ref})`,
          code: 'DUPLICATE_IN_BATCH',
        });
        return;
      }
    }
    for (const key of keys) this.#seen.set(key, index);
    const planned = this.groups.get(group) ?? { action, inputs: [] };
    planned.inputs.push(input);
    this.groups.set(group, planned);
  }
}
