import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, Cursor, ExternalRecord, Page } from '../../src/connector/types.ts';

/**
 * What a connector's test file provides to the shared contract suite: a connector wired to its sandbox, and direct
 * access to the sandbox's store (to seed and change data behind the connector's back, and to count API calls).
 */
export interface ContractHarness {
  readonly connector: Connector;
  /** The external object that holds people (Salesforce `Lead`, HubSpot `contacts`). */
  readonly personObject: string;
  /** The person object's e-mail field, which is unique in both systems' sandboxes. */
  readonly emailField: string;
  /** A field every valid person needs, written by the push tests (e.g. `LastName`, `lastname`). */
  readonly nameField: string;
  /** Fields of a valid new person numbered `i` (include `emailField` = `emailFor(i)`). */
  newPerson(i: number, emailFor: (i: number) => string): Record<string, unknown>;
  /** Fields of a person the API must refuse (invalid e-mail, missing required field…). */
  invalidPerson(): Record<string, unknown>;
  /** Puts records straight into the sandbox's store (no API call); returns their ids in order. */
  seed(object: string, records: readonly Record<string, unknown>[]): Promise<string[]>;
  /** Changes records in the sandbox's store as a user would in the CRM (bumping their modification time). */
  touch(object: string, ids: readonly string[]): Promise<void>;
  /** The sandbox's store: the record with this id, or undefined. */
  read(object: string, id: string): Promise<Record<string, unknown> | undefined>;
  /** How many records of this object the sandbox holds (not deleted). */
  count(object: string): Promise<number>;
  /** API calls the sandbox has served so far. */
  calls(): number;
  /** Prepares a lead/contact that `connector.convert` can convert or advance; returns its id. */
  convertible(): Promise<string>;
  close(): Promise<void>;
}

async function drain(
  pages: AsyncIterable<Page<ExternalRecord>>,
): Promise<{ records: ExternalRecord[]; cursor?: Cursor }> {
  const records: ExternalRecord[] = [];
  let cursor: Cursor | undefined;
  for await (const page of pages) {
    records.push(...page.records);
    cursor = page.cursor ?? cursor;
  }
  return cursor === undefined ? { records } : { records, cursor };
}

const emailFor = (run: string) => (i: number) => `contract.${run}.${i}@example.com`;

/** The behaviour every connector must show, whatever CRM it speaks to. */
export function connectorContract(name: string, setup: () => Promise<ContractHarness>): void {
  describe(`${name} connector contract`, () => {
    let h: ContractHarness;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h.close();
    });

    it('describes the person object with its e-mail field', async () => {
      const schema = await h.connector.describe(h.personObject);
      expect(schema.object).toBe(h.personObject);
      const email = schema.fields.find((f) => f.name === h.emailField);
      expect(email).toBeDefined();
      expect(email?.writable).toBe(true);
    });

    it('pulls every record exactly once, in pages, oldest first, and resumes incrementally', async () => {
      const seeded = await h.seed(
        h.personObject,
        Array.from({ length: 450 }, (_, i) => h.newPerson(i, emailFor('pull'))),
      );
      const fields = [h.emailField, h.nameField];
      const full = await drain(h.connector.pull(h.personObject, { fields, pageSize: 200 }));
      const ids = full.records.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of seeded) expect(ids).toContain(id);
      const order = full.records.map((r) => `${r.modifiedAt}|${r.id}`);
      expect(order).toEqual([...order].sort(compareCursorKeys));
      const sample = full.records.find((r) => r.id === seeded[0]);
      expect(sample?.fields[h.emailField]).toBe(emailFor('pull')(0));
      expect(full.cursor).toBeDefined();

      // Nothing changed: nothing comes back, and asking costs at most one call.
      const before = h.calls();
      const idle = await drain(h.connector.pull(h.personObject, { fields, since: full.cursor as Cursor }));
      expect(idle.records).toEqual([]);
      expect(h.calls() - before).toBeLessThanOrEqual(1);

      const changed = [seeded[3], seeded[200], seeded[449]] as string[];
      await h.touch(h.personObject, changed);
      const next = await drain(h.connector.pull(h.personObject, { fields, since: full.cursor as Cursor }));
      expect(next.records.map((r) => r.id).sort()).toEqual([...changed].sort());
    });

    it('creates, then updates by id, and reports each result against its ref', async () => {
      const email = emailFor('push');
      const created = await h.connector.push(h.personObject, [
        { ref: 'a', fields: h.newPerson(1, email) },
        { ref: 'b', fields: h.newPerson(2, email) },
      ]);
      expect(created.map((r) => [r.ref, r.ok])).toEqual([
        ['a', true],
        ['b', true],
      ]);
      const first = created[0];
      if (!first?.ok) throw new Error('create failed');
      expect(first.created).toBe(true);
      expect((await h.read(h.personObject, first.id))?.[h.emailField]).toBe(email(1));

      const updated = await h.connector.push(h.personObject, [
        { ref: 'u', id: first.id, fields: { [h.nameField]: 'Renamed' } },
      ]);
      expect(updated[0]).toMatchObject({ ref: 'u', ok: true, id: first.id, created: false });
      expect((await h.read(h.personObject, first.id))?.[h.nameField]).toBe('Renamed');
    });

    it('writes the valid records of a batch and returns the invalid one as a value', async () => {
      const email = emailFor('mixed');
      const before = await h.count(h.personObject);
      const results = await h.connector.push(h.personObject, [
        { ref: 'ok1', fields: h.newPerson(1, email) },
        { ref: 'bad', fields: h.invalidPerson() },
        { ref: 'ok2', fields: h.newPerson(2, email) },
      ]);
      expect(results.map((r) => [r.ref, r.ok])).toEqual([
        ['ok1', true],
        ['bad', false],
        ['ok2', true],
      ]);
      const bad = results[1];
      if (bad?.ok !== false) throw new Error('expected a failure');
      expect(bad.error.kind).toBe('invalid');
      expect(bad.error.message.length).toBeGreaterThan(0);
      expect(await h.count(h.personObject)).toBe(before + 2);
    });

    it('upserts idempotently by e-mail: a retried write creates nothing new', async () => {
      const email = emailFor('upsert')(1);
      const write = {
        ref: 'x',
        upsertBy: { field: h.emailField, value: email },
        fields: h.newPerson(1, emailFor('upsert')),
      };
      const first = await h.connector.push(h.personObject, [write]);
      const count = await h.count(h.personObject);
      const second = await h.connector.push(h.personObject, [write]);
      expect(first[0]).toMatchObject({ ok: true, created: true });
      expect(second[0]).toMatchObject({ ok: true, created: false });
      if (first[0]?.ok && second[0]?.ok) expect(second[0].id).toBe(first[0].id);
      expect(await h.count(h.personObject)).toBe(count);
    });

    it('converts a person, and converting again returns the same result', async () => {
      const id = await h.convertible();
      const conversion = {
        ref: 'c',
        personId: id,
        createOpportunity: false,
        lifecycleStage: 'salesqualifiedlead',
      };
      const convert = h.connector.convert?.bind(h.connector);
      if (convert === undefined) throw new Error(`${name}: the contract asks a connector to convert`);
      const first = await convert([conversion]);
      expect(first[0]).toMatchObject({ ref: 'c', ok: true, alreadyConverted: false });
      const again = await convert([conversion]);
      expect(again[0]).toMatchObject({ ref: 'c', ok: true, alreadyConverted: true });
      if (first[0]?.ok && again[0]?.ok) expect(again[0].contactId).toBe(first[0].contactId);
    });
  });
}

/** Orders `modifiedAt|id` keys the way cursors do: by timestamp, then by id (numeric ids as numbers). */
function compareCursorKeys(a: string, b: string): number {
  const [ta = '', ia = ''] = a.split('|');
  const [tb = '', ib = ''] = b.split('|');
  const t = Date.parse(ta) - Date.parse(tb);
  if (t !== 0) return t;
  if (/^\d+$/.test(ia) && /^\d+$/.test(ib)) return ia.length - ib.length || (ia < ib ? -1 : ia > ib ? 1 : 0);
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
