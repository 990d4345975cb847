import { afterEach, describe, expect, it } from 'vitest';
import type { Write } from '../../src/connector/types.ts';
import { lead, type SalesforceRig, startRig } from './salesforce-harness.ts';

const collectionCalls = (rig: SalesforceRig) =>
  ['collections:create', 'collections:update', 'collections:upsert'].reduce(
    (n, endpoint) => n + rig.sandbox.calls(endpoint),
    0,
  );

describe('salesforce push', () => {
  let rig: SalesforceRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('creates 1,000 records in exactly 5 collection calls', async () => {
    rig = await startRig();
    const writes: Write[] = Array.from({ length: 1000 }, (_, i) => ({ ref: `w${i}`, fields: lead(i) }));
    const results = await rig.connector.push('Lead', writes);
    expect(results.every((r) => r.ok && r.created)).toBe(true);
    expect(results.map((r) => r.ref)).toEqual(writes.map((w) => w.ref));
    expect(collectionCalls(rig)).toBe(5);
    expect(rig.sandbox.count('Lead')).toBe(1000);
  });

  it('writes the 997 valid records of a batch and returns the reasons of the 3 invalid ones', async () => {
    rig = await startRig();
    const writes: Write[] = Array.from({ length: 1000 }, (_, i) => ({ ref: `w${i}`, fields: lead(i) }));
    writes[10] = { ref: 'w10', fields: { Company: 'No Name Ltd', Email: 'noname@example.com' } };
    writes[500] = { ref: 'w500', fields: { ...lead(500), Email: 'not an e-mail' } };
    writes[999] = { ref: 'w999', fields: { ...lead(999), Rating: 'Lukewarm' } };
    const results = await rig.connector.push('Lead', writes);
    expect(collectionCalls(rig)).toBe(5);
    expect(rig.sandbox.count('Lead')).toBe(997);
    const failures = results.filter((r) => !r.ok);
    expect(failures).toEqual([
      {
        ref: 'w10',
        ok: false,
        error: {
          kind: 'invalid',
          code: 'REQUIRED_FIELD_MISSING',
          fields: ['LastName'],
          message: 'Required fields are missing: [LastName]',
        },
      },
      {
        ref: 'w500',
        ok: false,
        error: {
          kind: 'invalid',
          code: 'INVALID_EMAIL_ADDRESS',
          fields: ['Email'],
          message: 'Email: invalid email address: not an e-mail',
        },
      },
      {
        ref: 'w999',
        ok: false,
        error: {
          kind: 'invalid',
          code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          fields: ['Rating'],
          message: 'Rating: bad value for restricted picklist field: Lukewarm',
        },
      },
    ]);
  });

  it('reports a duplicate e-mail as a conflict and an unknown field without calling Salesforce', async () => {
    rig = await startRig();
    rig.sandbox.seed('Lead', [lead(1, 'taken@example.com')]);
    const results = await rig.connector.push('Lead', [
      { ref: 'dup', fields: lead(2, 'TAKEN@example.com') },
      { ref: 'typo', fields: { ...lead(3), Emial: 'x@example.com' } },
      { ref: 'readonly', id: '00Q000000000005EAA', fields: { IsConverted: true } },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : `${r.error.kind}:${r.error.code}`))).toEqual([
      'conflict:DUPLICATES_DETECTED',
      'invalid:INVALID_FIELD',
      'invalid:INVALID_FIELD_FOR_INSERT_UPDATE',
    ]);
    expect(rig.sandbox.calls('collections:create')).toBe(1);
  });

  it('upserts by an external-id field through the upsert collection', async () => {
    rig = await startRig({
      customFields: [
        {
          fullName: 'Lead.External_Id__c',
          label: 'External Id',
          type: 'Text',
          length: 80,
          externalId: true,
          unique: true,
        },
      ],
    });
    const write = (name: string): Write => ({
      ref: 'x',
      upsertBy: { field: 'External_Id__c', value: 'hs-42' },
      fields: { ...lead(42), LastName: name },
    });
    const [first] = await rig.connector.push('Lead', [write('First')]);
    const [second] = await rig.connector.push('Lead', [write('Second')]);
    expect(first).toMatchObject({ ok: true, created: true });
    expect(second).toMatchObject({ ok: true, created: false, id: first?.ok ? first.id : '' });
    expect(rig.sandbox.calls('collections:upsert')).toBe(2);
    expect(rig.sandbox.count('Lead')).toBe(1);
    expect(rig.sandbox.read('Lead', first?.ok ? first.id : '')?.LastName).toBe('Second');
  });

  it('upserts by e-mail with one lookup query per batch of 200', async () => {
    rig = await startRig();
    const existing = rig.sandbox.seed(
      'Lead',
      Array.from({ length: 150 }, (_, i) => lead(i)),
    );
    const writes: Write[] = Array.from({ length: 300 }, (_, i) => ({
      ref: `u${i}`,
      upsertBy: { field: 'Email', value: `lead.${i}@example.com` },
      fields: { ...lead(i), Title: 'Upserted' },
    }));
    const results = await rig.connector.push('Lead', writes);
    expect(rig.sandbox.calls('query')).toBe(2);
    expect(results.slice(0, 150).map((r) => (r.ok ? r.id : r.error.code))).toEqual(existing);
    expect(results.slice(150).every((r) => r.ok && r.created)).toBe(true);
    expect(rig.sandbox.count('Lead')).toBe(300);
  });

  it("cannot be steered by a record value containing ' OR Id != '", async () => {
    rig = await startRig();
    const existing = rig.sandbox.seed(
      'Lead',
      Array.from({ length: 5 }, (_, i) => lead(i)),
    );
    const value = "' OR Id != '";
    const [result] = await rig.connector.push('Lead', [
      {
        ref: 'i',
        upsertBy: { field: 'Company', value },
        fields: { LastName: 'Injected', Email: 'inj@example.com' },
      },
    ]);
    // Unescaped, the lookup would match all five leads (a conflict) or update one; escaped, it matches none.
    expect(result).toMatchObject({ ok: true, created: true });
    expect(rig.sandbox.count('Lead')).toBe(6);
    for (const [i, id] of existing.entries())
      expect(rig.sandbox.read('Lead', id)?.LastName).toBe(`Lead ${i}`);
    expect(rig.sandbox.read('Lead', result?.ok ? result.id : '')?.Company).toBe(value);
  });

  it('treats an upsert keyed by Id as an update', async () => {
    rig = await startRig();
    const [id] = rig.sandbox.seed('Lead', [lead(1)]) as string[];
    const [result] = await rig.connector.push('Lead', [
      { ref: 'r', upsertBy: { field: 'Id', value: id as string }, fields: { Title: 'By id' } },
    ]);
    expect(result).toEqual({ ref: 'r', ok: true, id, created: false });
    expect(rig.sandbox.read('Lead', id as string)?.Title).toBe('By id');
  });

  it('refuses an update or delete by a string that is no Salesforce id without sending it', async () => {
    rig = await startRig();
    const [id] = rig.sandbox.seed('Lead', [lead(1)]) as string[];
    const results = await rig.connector.push('Lead', [
      { ref: 'blank', id: '', fields: { Title: 'x' } },
      { ref: 'keyed', upsertBy: { field: 'Id', value: 'null' }, fields: { Title: 'x' } },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : `${r.error.kind}:${r.error.code}`))).toEqual([
      'invalid:MALFORMED_ID',
      'invalid:MALFORMED_ID',
    ]);
    expect(collectionCalls(rig)).toBe(0);
    const removed = await rig.connector.remove('Lead', ['', id as string, 'null']);
    expect(removed.map((r) => (r.ok ? r.id : r.error.code))).toEqual(['MALFORMED_ID', id, 'MALFORMED_ID']);
    expect(rig.sandbox.calls('collections:delete')).toBe(1);
    expect(rig.sandbox.count('Lead')).toBe(0);
  });
});
