import type { SystemName } from '../../connectors/index.ts';
import type {
  Connector,
  Conversion,
  ConversionResult,
  Cursor,
  ExternalRecord,
  ObjectSchema,
  Page,
  PullOptions,
  Write,
  WriteResult,
} from '../../src/connector/types.ts';
import type { CompiledMapping } from '../../src/mapping/index.ts';
import type { EntityName } from '../../src/model/index.ts';

interface Stored {
  id: string;
  fields: Record<string, unknown>;
  modifiedAt: string;
  converted?: { contactId: string; accountId: string };
}

/**
 * A CRM held in memory behind the Connector interface, for tests of the sync engine's logic. It keeps the
 * contract's semantics (strictly-after cursors, idempotent upserts, per-record failures as values) and counts
 * calls; the sandbox-backed connectors are what the end-to-end tests use.
 */
export class MemoryConnector implements Connector {
  readonly system: SystemName;
  readonly objects = new Map<string, Map<string, Stored>>();
  readonly counts = { pull: 0, push: 0, convert: 0, writes: 0 };
  /** Returns a reason to refuse a write, or undefined. */
  validate: (object: string, fields: Record<string, unknown>) => string | undefined = () => undefined;
  #clock = Date.parse('2026-11-01T00:00:00.000Z');
  #next = 1;

  constructor(system: SystemName) {
    this.system = system;
  }

  #tick(): string {
    this.#clock += 1000;
    return new Date(this.#clock).toISOString();
  }

  #table(object: string): Map<string, Stored> {
    let table = this.objects.get(object);
    if (!table) {
      table = new Map();
      this.objects.set(object, table);
    }
    return table;
  }

  /** Adds a record as a user would; returns its id. */
  seed(object: string, fields: Record<string, unknown>): string {
    const id = `${object.slice(0, 3)}${String(this.#next++).padStart(4, '0')}`;
    this.#table(object).set(id, { id, fields: { ...fields }, modifiedAt: this.#tick() });
    return id;
  }

  /** Changes a record as a user would. */
  edit(object: string, id: string, fields: Record<string, unknown>): void {
    const record = this.#table(object).get(id);
    if (!record) throw new Error(`no ${object} ${id}`);
    Object.assign(record.fields, fields);
    record.modifiedAt = this.#tick();
  }

  all(object: string): Stored[] {
    return [...this.#table(object).values()];
  }

  /** Fields each object has beyond those its records hold (`fieldsFor` gives it a config's). */
  readonly fields = new Map<string, Set<string>>();

  /** Gives every object the external fields a config maps for this connection, as an admin would have made them. */
  fieldsFor(
    mapping: CompiledMapping,
    objects: Readonly<Record<string, EntityName>>,
    connection: string,
  ): this {
    for (const [object, entity] of Object.entries(objects))
      this.fields.set(object, new Set(mapping.fieldsToRead(entity, connection, object)));
    return this;
  }

  async describe(object: string): Promise<ObjectSchema> {
    const names = new Set([
      ...(this.fields.get(object) ?? []),
      ...this.all(object).flatMap((r) => Object.keys(r.fields)),
    ]);
    return {
      object,
      fields: [...names].map((name) => ({ name, type: 'string', required: false, writable: true })),
    };
  }

  async *pull(object: string, options: PullOptions): AsyncIterable<Page<ExternalRecord>> {
    this.counts.pull++;
    const after = (r: Stored, c: Cursor) =>
      r.modifiedAt > c.modifiedAt || (r.modifiedAt === c.modifiedAt && r.id > c.id);
    const records = this.all(object)
      .filter((r) => options.since === undefined || after(r, options.since))
      .sort((a, b) =>
        a.modifiedAt === b.modifiedAt ? (a.id < b.id ? -1 : 1) : a.modifiedAt < b.modifiedAt ? -1 : 1,
      );
    const size = options.pageSize ?? 100;
    for (let i = 0; i < records.length; i += size) {
      const page = records.slice(i, i + size);
      const last = page[page.length - 1] as Stored;
      yield {
        records: page.map((r) => ({
          object,
          id: r.id,
          fields: Object.fromEntries(options.fields.map((f) => [f, r.fields[f] ?? null])),
          modifiedAt: r.modifiedAt,
          ...(r.converted ? { converted: r.converted } : {}),
        })),
        cursor: { modifiedAt: last.modifiedAt, id: last.id },
      };
    }
  }

  async push(object: string, writes: readonly Write[]): Promise<WriteResult[]> {
    this.counts.push++;
    return writes.map((write) => {
      this.counts.writes++;
      const refused = this.validate(object, write.fields);
      if (refused) return { ref: write.ref, ok: false, error: { kind: 'invalid', message: refused } };
      const table = this.#table(object);
      const key = write.upsertBy;
      const existing =
        write.id !== undefined
          ? table.get(write.id)
          : key &&
            this.all(object).find(
              (r) => String(r.fields[key.field]).toLowerCase() === key.value.toLowerCase(),
            );
      if (write.id !== undefined && !existing) {
        return {
          ref: write.ref,
          ok: false,
          error: { kind: 'not-found', message: `no ${object} ${write.id}` },
        };
      }
      if (existing) {
        Object.assign(existing.fields, write.fields);
        existing.modifiedAt = this.#tick();
        return { ref: write.ref, ok: true, id: existing.id, created: false };
      }
      return { ref: write.ref, ok: true, id: this.seed(object, write.fields), created: true };
    });
  }

  async convert(conversions: readonly Conversion[]): Promise<ConversionResult[]> {
    this.counts.convert++;
    return conversions.map((c) => {
      if (this.system === 'hubspot') return this.#advance(c);
      const lead = this.#table('Lead').get(c.personId);
      if (!lead)
        return { ref: c.ref, ok: false, error: { kind: 'not-found', message: `no Lead ${c.personId}` } };
      if (lead.converted) return { ref: c.ref, ok: true, ...lead.converted, alreadyConverted: true };
      const accountId = c.accountId ?? this.seed('Account', { Name: lead.fields.Company });
      const contactId = this.seed('Contact', {
        FirstName: lead.fields.FirstName,
        LastName: lead.fields.LastName,
        Email: lead.fields.Email,
        AccountId: accountId,
      });
      const opportunityId = c.createOpportunity
        ? this.seed('Opportunity', {
            Name: c.opportunityName ?? `${lead.fields.Company}-`,
            StageName: 'Prospecting',
            CloseDate: '2026-12-31',
            AccountId: accountId,
          })
        : undefined;
      lead.converted = { contactId, accountId };
      lead.fields.Status = c.convertedStatus;
      lead.modifiedAt = this.#tick();
      return {
        ref: c.ref,
        ok: true,
        contactId,
        accountId,
        ...(opportunityId ? { opportunityId } : {}),
        alreadyConverted: false,
      };
    });
  }

  /** HubSpot: forward the lifecycle stage and create the deal once. */
  #advance(c: Conversion): ConversionResult {
    const contact = this.#table('contacts').get(c.personId);
    if (!contact)
      return { ref: c.ref, ok: false, error: { kind: 'not-found', message: `no contact ${c.personId}` } };
    const existing = this.all('deals').find((d) => d.fields.contactId === c.personId);
    if (existing)
      return {
        ref: c.ref,
        ok: true,
        contactId: contact.id,
        opportunityId: existing.id,
        alreadyConverted: true,
      };
    if (c.lifecycleStage) this.edit('contacts', contact.id, { lifecyclestage: c.lifecycleStage });
    const deal = this.seed('deals', {
      dealname: c.opportunityName,
      pipeline: c.deal?.pipeline,
      dealstage: c.deal?.stage,
      contactId: c.personId,
    });
    return { ref: c.ref, ok: true, contactId: contact.id, opportunityId: deal, alreadyConverted: false };
  }

  /** Converts a Lead as a user would in the CRM's own screens. */
  convertByHand(leadId: string): { contactId: string; accountId: string } {
    const lead = this.#table('Lead').get(leadId);
    if (!lead) throw new Error(`no Lead ${leadId}`);
    const accountId = this.seed('Account', { Name: lead.fields.Company });
    const contactId = this.seed('Contact', {
      LastName: lead.fields.LastName,
      Email: lead.fields.Email,
      AccountId: accountId,
    });
    lead.converted = { contactId, accountId };
    lead.modifiedAt = this.#tick();
    return lead.converted;
  }
}
