import { afterEach, describe, expect, it } from 'vitest';
import type { Write, WriteResult } from '../../src/connector/types.ts';
import { startHubSpot } from './hubspot-harness.ts';

type Started = Awaited<ReturnType<typeof startHubSpot>>;

/** The value of `field` in the record each successful result names, by ref. */
function written(h: Started, type: string, results: readonly WriteResult[], field: string) {
  return Object.fromEntries(
    results.flatMap((r) => (r.ok ? [[r.ref, h.sandbox.read(type, r.id)?.[field]]] : [])),
  );
}

/**
 * HubSpot's batch results and errors may leave `objectWriteTraceId` out: the sandbox does so here, and every
 * written record must still be reported written, with its own id, through the real client.
 */
describe('hubspot push when HubSpot echoes no trace ids', () => {
  let h: Started | undefined;
  afterEach(async () => {
    await h?.sandbox.close();
    h = undefined;
  });

  it('upserts contacts by e-mail (new and existing, any letter case), each result on its own record', async () => {
    h = await startHubSpot({ omitTraceIds: true });
    const existing = h.sandbox.seed(
      'contacts',
      Array.from({ length: 40 }, (_, i) => ({ email: `old${i}@example.com`, lastname: 'Old' })),
    );
    const writes: Write[] = Array.from({ length: 250 }, (_, i) => ({
      ref: `c${i}`,
      fields: { email: i < 40 ? `OLD${i}@Example.com` : `new${i}@example.com`, lastname: `Person ${i}` },
    }));
    const results = await h.connector.push('contacts', writes);

    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(h.sandbox.calls('POST /crm/v3/objects/batch/upsert')).toBe(3);
    const emails = written(h, 'contacts', results, 'email');
    for (const w of writes) expect(emails[w.ref]).toBe(String(w.fields.email).toLowerCase());
    expect(results.slice(0, 40).map((r) => (r.ok ? r.id : ''))).toEqual(existing);
    expect(results.map((r) => r.ok && r.created)).toEqual(writes.map((_, i) => i >= 40));
    expect(h.sandbox.count('contacts')).toBe(250);
  });

  it('updates by id and creates contacts matched by their unique e-mail', async () => {
    h = await startHubSpot({ omitTraceIds: true }, { upsertContactsByEmail: false });
    const ids = h.sandbox.seed(
      'contacts',
      Array.from({ length: 120 }, (_, i) => ({ email: `u${i}@example.com` })),
    );
    const updates: Write[] = ids.map((id, i) => ({ ref: `u${i}`, id, fields: { lastname: `Updated ${i}` } }));
    const creates: Write[] = Array.from({ length: 30 }, (_, i) => ({
      ref: `n${i}`,
      fields: { email: `n${i}@example.com`, lastname: `New ${i}` },
    }));
    const results = await h.connector.push('contacts', [...updates, ...creates]);

    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.slice(0, 120).map((r) => (r.ok ? [r.id, r.created] : []))).toEqual(
      ids.map((id) => [id, false]),
    );
    const lastnames = written(h, 'contacts', results, 'lastname');
    for (const w of [...updates, ...creates]) expect(lastnames[w.ref]).toBe(w.fields.lastname);
    expect(h.sandbox.calls('POST /crm/v3/objects/batch/create')).toBe(1);
    expect(h.sandbox.calls('POST /crm/v3/objects/batch/update')).toBe(2);
  });

  it('matches companies by domain (found ones updated, new ones created) and deals by what they hold', async () => {
    h = await startHubSpot({ omitTraceIds: true });
    const found = h.sandbox.seed('companies', [
      { name: 'Acme', domain: 'acme.example' },
      { name: 'Globex', domain: 'globex.example' },
    ]);
    const companies: Write[] = ['acme', 'initech', 'GLOBEX', 'hooli', 'umbrella'].map((name) => ({
      ref: name.toLowerCase(),
      upsertBy: { field: 'domain', value: `${name}.example` },
      fields: { name: `${name} Inc` },
    }));
    const pushed = await h.connector.push('companies', companies);
    expect(pushed.filter((r) => !r.ok)).toEqual([]);
    expect(pushed.map((r) => r.ok && r.created)).toEqual([false, true, false, true, true]);
    expect([pushed[0], pushed[2]].map((r) => (r?.ok ? r.id : ''))).toEqual(found);
    expect(written(h, 'companies', pushed, 'name')).toEqual(
      Object.fromEntries(companies.map((c) => [c.ref, c.fields.name])),
    );

    const deals: Write[] = Array.from({ length: 12 }, (_, i) => ({
      ref: `d${i}`,
      fields: {
        dealname: `Renewal ${i}`,
        amount: 1000 + (i % 3),
        pipeline: 'default',
        dealstage: 'qualifiedtobuy',
      },
    }));
    const created = await h.connector.push('deals', deals);
    expect(created.filter((r) => !r.ok)).toEqual([]);
    expect(written(h, 'deals', created, 'dealname')).toEqual(
      Object.fromEntries(deals.map((d) => [d.ref, d.fields.dealname])),
    );
  });

  it('writes the rest of a 207 and gives each refused record its reason, without trace ids', async () => {
    h = await startHubSpot({ omitTraceIds: true }, { upsertContactsByEmail: false });
    const [kept = ''] = h.sandbox.seed('contacts', [{ email: 'kept@example.com' }]);
    const one = await h.connector.push('contacts', [
      { ref: 'ok1', fields: { email: 'ok1@example.com' } },
      { ref: 'bad-email', fields: { email: 'not-an-email' } },
      { ref: 'ok2', fields: { email: 'ok2@example.com' } },
    ]);
    expect(one.map((r) => [r.ref, r.ok])).toEqual([
      ['ok1', true],
      ['bad-email', false],
      ['ok2', true],
    ]);
    expect(one[1]).toMatchObject({ ok: false, error: { kind: 'invalid', code: 'INVALID_EMAIL' } });

    const updates = await h.connector.push('contacts', [
      { ref: 'ghost', id: '999999', fields: { lastname: 'Nobody' } },
      { ref: 'kept', id: kept, fields: { lastname: 'Kept' } },
      { ref: 'bad-option', id: kept, fields: { hs_lead_status: 'LUKEWARM' } },
    ]);
    // The second write of one id is refused before sending; the unknown id is named by HubSpot's `context.ids`.
    expect(updates.map((r) => [r.ref, r.ok])).toEqual([
      ['ghost', false],
      ['kept', true],
      ['bad-option', false],
    ]);
    expect(updates[0]).toMatchObject({ ok: false, error: { kind: 'not-found' } });

    const two = await h.connector.push('contacts', [
      { ref: 'bad1', fields: { email: 'bad-one' } },
      { ref: 'ok3', fields: { email: 'ok3@example.com', lastname: 'Three' } },
      { ref: 'bad2', fields: { email: 'bad-two' } },
    ]);
    expect(two.map((r) => [r.ref, r.ok])).toEqual([
      ['bad1', false],
      ['ok3', true],
      ['bad2', false],
    ]);
    // Refused together and named by neither: both failed, and both reasons are given to each.
    expect(two[0]).toMatchObject({ ok: false, error: { kind: 'invalid', code: 'INVALID_EMAIL' } });
    if (two[0]?.ok === false) expect(two[0].error.message).toMatch(/bad-one.*bad-two|bad-two.*bad-one/);
    expect(h.sandbox.count('contacts')).toBe(4);
    expect(written(h, 'contacts', [...one, ...updates, ...two], 'email')).toEqual({
      ok1: 'ok1@example.com',
      ok2: 'ok2@example.com',
      kept: 'kept@example.com',
      ok3: 'ok3@example.com',
    });
  });
});
