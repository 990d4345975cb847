import { afterEach, describe, expect, it } from 'vitest';
import type { Write } from '../../src/connector/types.ts';
import { startHubSpot } from './hubspot-harness.ts';

type Started = Awaited<ReturnType<typeof startHubSpot>>;

describe('hubspot push', () => {
  let h: Started | undefined;
  afterEach(async () => {
    await h?.sandbox.close();
    h = undefined;
  });

  it('pushes 1,000 contacts in exactly 10 batch calls', async () => {
    h = await startHubSpot();
    const writes: Write[] = Array.from({ length: 1000 }, (_, i) => ({
      ref: `w${i}`,
      fields: { email: `bulk${i}@example.com`, lastname: `Bulk ${i}`, crm_bridge_score: i % 100 },
    }));
    const results = await h.connector.push('contacts', writes);
    expect(results.every((r) => r.ok && r.created)).toBe(true);
    expect(results.map((r) => r.ref)).toEqual(writes.map((w) => w.ref));
    expect(h.sandbox.calls()).toBe(10);
    expect(h.sandbox.calls('POST /crm/v3/objects/batch/upsert')).toBe(10);
    expect(h.sandbox.count('contacts')).toBe(1000);
  });

  it('writes the rest of a batch and returns the reasons for duplicates, bad e-mails and unknown options', async () => {
    h = await startHubSpot();
    const results = await h.connector.push('contacts', [
      { ref: 'ok', fields: { email: 'ana@example.com', lastname: 'Ana' } },
      { ref: 'bad-email', fields: { email: 'ana-at-example.com', lastname: 'Typo' } },
      { ref: 'dupe', fields: { email: 'ANA@example.com', lastname: 'Again' } },
      { ref: 'bad-option', fields: { email: 'bo@example.com', crm_bridge_temperature: 'lukewarm' } },
      { ref: 'ok2', fields: { email: 'cy@example.com', lastname: 'Cy', is_decision_maker: true } },
    ]);
    expect(results.map((r) => [r.ref, r.ok])).toEqual([
      ['ok', true],
      ['bad-email', false],
      ['dupe', false],
      ['bad-option', false],
      ['ok2', true],
    ]);
    const errors = Object.fromEntries(results.flatMap((r) => (r.ok ? [] : [[r.ref, r.error]])));
    expect(errors['bad-email']).toMatchObject({ kind: 'invalid', code: 'INVALID_EMAIL', fields: ['email'] });
    expect(errors['bad-email']?.message).toContain('Email address ana-at-example.com is invalid');
    expect(errors.dupe).toMatchObject({ kind: 'conflict', code: 'DUPLICATE_IN_BATCH' });
    expect(errors['bad-option']).toMatchObject({
      kind: 'invalid',
      code: 'INVALID_OPTION',
      fields: ['crm_bridge_temperature'],
    });
    expect(h.sandbox.count('contacts')).toBe(2);
    expect(h.sandbox.calls()).toBe(1);
  });

  it('reports HubSpot\'s "Contact already exists" as a conflict when creates are not upserts', async () => {
    h = await startHubSpot({}, { upsertContactsByEmail: false });
    const [existing] = h.sandbox.seed('contacts', [{ email: 'taken@example.com' }]);
    const results = await h.connector.push('contacts', [
      { ref: 'taken', fields: { email: 'taken@example.com' } },
      { ref: 'free', fields: { email: 'free@example.com' } },
      { ref: 'ghost', id: '999999', fields: { lastname: 'Nobody' } },
    ]);
    expect(results[0]).toMatchObject({
      ok: false,
      error: {
        kind: 'conflict',
        message: expect.stringContaining(`Contact already exists. Existing ID: ${existing}`),
      },
    });
    expect(results[1]).toMatchObject({ ok: true, created: true });
    expect(results[2]).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });

  it('matches companies by domain through search, then updates or creates; a retry creates nothing', async () => {
    h = await startHubSpot();
    const [acme] = h.sandbox.seed('companies', [{ name: 'Acme', domain: 'acme.example' }]);
    const writes: Write[] = [
      { ref: 'acme', upsertBy: { field: 'domain', value: 'ACME.example' }, fields: { name: 'Acme Corp' } },
      { ref: 'new', upsertBy: { field: 'domain', value: 'new.example' }, fields: { name: 'New Co' } },
    ];
    const first = await h.connector.push('companies', writes);
    expect(first).toMatchObject([
      { ref: 'acme', ok: true, id: acme, created: false },
      { ref: 'new', ok: true, created: true },
    ]);
    expect(h.sandbox.read('companies', acme as string)?.name).toBe('Acme Corp');
    const again = await h.connector.push('companies', writes);
    expect(again.every((r) => r.ok && !r.created)).toBe(true);
    expect(h.sandbox.count('companies')).toBe(2);
  });

  it('associates written records after they exist', async () => {
    h = await startHubSpot();
    const [company = ''] = h.sandbox.seed('companies', [{ name: 'Globex', domain: 'globex.example' }]);
    const [contact = ''] = h.sandbox.seed('contacts', [{ email: 'hank@globex.example' }]);
    const [deal] = await h.connector.push('deals', [
      {
        ref: 'd',
        fields: {
          dealname: 'Globex renewal',
          pipeline: 'default',
          dealstage: 'qualifiedtobuy',
          amount: 1200,
        },
        associate: { companies: [company], contacts: [contact] },
      },
    ]);
    if (!deal?.ok) throw new Error('deal not written');
    expect(h.sandbox.store.associated('deals', deal.id, 'companies')).toEqual([company]);
    expect(h.sandbox.store.associated('contacts', contact, 'deals')).toEqual([deal.id]);
    const [bad] = await h.connector.push('contacts', [
      { ref: 'c', id: contact, fields: {}, associate: { companies: ['424242'] } },
    ]);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    if (bad?.ok === false) expect(bad.error.message).toContain(`contacts ${contact} was written`);
  });

  it('refuses a property a new portal does not have, per record, and writes the rest', async () => {
    h = await startHubSpot({ customProperties: {} });
    const results = await h.connector.push('contacts', [
      { ref: 'plain', fields: { email: 'plain@example.com', lastname: 'Plain' } },
      { ref: 'scored', fields: { email: 'scored@example.com', crm_bridge_score: 40 } },
    ]);
    expect(results[0]).toMatchObject({ ok: true, created: true });
    expect(results[1]).toMatchObject({
      ok: false,
      error: { kind: 'invalid', code: 'PROPERTY_DOESNT_EXIST', fields: ['crm_bridge_score'] },
    });
    expect(h.sandbox.count('contacts')).toBe(1);
    const [record] = await h.connector.read(
      'contacts',
      [results[0]?.ok ? results[0].id : ''],
      ['email', 'crm_bridge_score'],
    );
    expect(record?.fields).toMatchObject({ email: 'plain@example.com' });
    expect(record?.fields).not.toHaveProperty('crm_bridge_score');
  });

  it("enforces HubSpot's 100-input batch limit in the sandbox", async () => {
    h = await startHubSpot();
    const response = await fetch(`${h.sandbox.url}/crm/v3/objects/contacts/batch/create`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: Array.from({ length: 101 }, () => ({ properties: {} })) }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('creates records that carry a unique value once, though answers are cut after HubSpot wrote them', async () => {
    h = await startHubSpot({ seed: 5 });
    // Companies without a domain, deals: nothing to look them up by but the other CRM's id, a unique property.
    const companies: Write[] = Array.from({ length: 300 }, (_, i) => ({
      ref: `c${i}`,
      fields: { name: `Company ${i}`, crm_bridge_salesforce_id: `001${String(i).padStart(12, '0')}` },
    }));
    const deals: Write[] = Array.from({ length: 300 }, (_, i) => ({
      ref: `d${i}`,
      fields: {
        dealname: `Deal ${i}`,
        pipeline: 'default',
        dealstage: 'appointmentscheduled',
        crm_bridge_salesforce_id: `006${String(i).padStart(12, '0')}`,
      },
    }));
    h.sandbox.setFaults({ cut: 0.4 });
    const results = [
      ...(await h.connector.push('companies', companies)),
      ...(await h.connector.push('deals', deals)),
    ];
    h.sandbox.setFaults({ cut: 0 });
    expect(h.sandbox.faults().cut).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(h.sandbox.count('companies')).toBe(300);
    expect(h.sandbox.count('deals')).toBe(300);
    expect(new Set(results.map((r) => (r.ok ? r.id : ''))).size).toBe(600);
  });

  it('creates 300 companies expected to be new by their twin id with no search, once, though answers are cut', async () => {
    h = await startHubSpot({ seed: 6 });
    const companies: Write[] = Array.from({ length: 300 }, (_, i) => ({
      ref: `c${i}`,
      upsertBy: { field: 'domain', value: `new${i}.example` },
      expectNew: true,
      fields: { name: `New ${i}`, crm_bridge_salesforce_id: `001${String(i).padStart(12, '0')}` },
    }));
    h.sandbox.setFaults({ cut: 0.4 });
    const results = await h.connector.push('companies', companies);
    h.sandbox.setFaults({ cut: 0 });
    expect(h.sandbox.faults().cut).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(h.sandbox.calls('POST /crm/v3/objects/search')).toBe(0);
    expect(h.sandbox.count('companies')).toBe(300);
    const domains = results.map((r) => (r.ok ? h?.sandbox.read('companies', r.id)?.domain : undefined));
    expect(new Set(domains).size).toBe(300);
    expect(domains[7]).toBe('new7.example');
  });
});
