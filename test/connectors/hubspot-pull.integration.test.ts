import { afterEach, describe, expect, it } from 'vitest';
import type { ExternalRecord, Page } from '../../src/connector/types.ts';
import { startHubSpot } from './hubspot-harness.ts';

type Started = Awaited<ReturnType<typeof startHubSpot>>;

async function drain(pages: AsyncIterable<Page<ExternalRecord>>) {
  const records: ExternalRecord[] = [];
  let pageCount = 0;
  for await (const page of pages) {
    records.push(...page.records);
    pageCount++;
  }
  return { records, pageCount };
}

describe('hubspot pull', () => {
  let h: Started | undefined;
  afterEach(async () => {
    await h?.sandbox.close();
    h = undefined;
  });

  it('returns each of 25,000 changed contacts exactly once, 12,000 of them sharing one timestamp', async () => {
    h = await startHubSpot({}, { associations: {} });
    const { sandbox, connector } = h;
    const base = Date.parse('2026-01-05T10:00:00.000Z');
    // 13,000 records in small clusters of equal timestamps, with 12,000 sharing one millisecond in the middle.
    const person = (i: number) => ({ email: `p${i}@example.com`, lastname: `P${i}` });
    const before = Array.from({ length: 6500 }, (_, i) => i);
    for (const i of before) sandbox.seed('contacts', [person(i)], base + Math.floor(i / 3));
    sandbox.seed(
      'contacts',
      Array.from({ length: 12_000 }, (_, i) => person(100_000 + i)),
      base + 5000,
    );
    for (const i of before) sandbox.seed('contacts', [person(200_000 + i)], base + 6000 + Math.floor(i / 4));

    const since = { modifiedAt: new Date(base - 1).toISOString(), id: '' };
    const { records, pageCount } = await drain(connector.pull('contacts', { fields: ['email'], since }));

    const ids = records.map((r) => r.id);
    expect(ids.length).toBe(25_000);
    expect(new Set(ids).size).toBe(25_000);
    const keys = records.map((r) => [Date.parse(r.modifiedAt), Number(r.id)] as const);
    for (let i = 1; i < keys.length; i++) {
      const [t0, id0] = keys[i - 1] as readonly [number, number];
      const [t1, id1] = keys[i] as readonly [number, number];
      expect(t1 > t0 || (t1 === t0 && id1 > id0)).toBe(true);
    }
    // Keyset paging: about one search per 200 records, never a page past the 10,000-result cap (a 400).
    const searches = sandbox.calls('POST /crm/v3/objects/search');
    expect(searches).toBeLessThan(25_000 / 200 + 20);
    expect(pageCount).toBeGreaterThanOrEqual(125);
  });

  it('resumes from a cursor inside a run of equal timestamps without repeating or skipping', async () => {
    h = await startHubSpot({}, { associations: {} });
    const { sandbox, connector } = h;
    const at = Date.parse('2026-02-01T00:00:00.000Z');
    const ids = sandbox.seed(
      'contacts',
      Array.from({ length: 450 }, (_, i) => ({ email: `same${i}@example.com` })),
      at,
    );
    const since = { modifiedAt: new Date(at).toISOString(), id: ids[99] as string };
    const { records } = await drain(connector.pull('contacts', { fields: ['email'], since }));
    expect(records.map((r) => r.id)).toEqual(ids.slice(100));
  });

  it('loads everything through list paging, with only the asked properties and the associations', async () => {
    h = await startHubSpot();
    const { sandbox, connector } = h;
    const generated = sandbox.generate({ companies: 5, contacts: 250, deals: 0 });
    const { records } = await drain(
      connector.pull('contacts', { fields: ['email', 'lastname'], pageSize: 200 }),
    );
    expect(records.map((r) => r.id).sort()).toEqual([...generated.contacts].sort());
    expect(sandbox.calls('GET /crm/v3/objects')).toBe(3);
    expect(sandbox.calls('POST /crm/v4/associations/batch/read')).toBe(3);
    const first = records.find((r) => r.id === generated.contacts[0]);
    expect(Object.keys(first?.fields ?? {}).sort()).toEqual([
      'createdate',
      'email',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ]);
    expect(first?.associations).toEqual({ companies: [generated.companies[0]] });
  });

  it('pulls deals with their company and contact, and companies on hs_lastmodifieddate', async () => {
    h = await startHubSpot();
    const { sandbox, connector } = h;
    const generated = sandbox.generate({ companies: 2, contacts: 4, deals: 3 });
    const since = { modifiedAt: '2000-01-01T00:00:00.000Z', id: '' };
    const deals = await drain(connector.pull('deals', { fields: ['dealname', 'dealstage'], since }));
    expect(deals.records.map((r) => r.id)).toEqual(generated.deals);
    expect(deals.records[0]?.associations).toEqual({
      companies: [generated.companies[0]],
      contacts: [generated.contacts[0]],
    });
    const companies = await drain(connector.pull('companies', { fields: ['domain'], since }));
    expect(companies.records).toHaveLength(2);
    expect(companies.records[0]?.fields.hs_lastmodifieddate).toBe(companies.records[0]?.modifiedAt);
  });

  it("reads every association of a record, past the first page of HubSpot's batch read", async () => {
    h = await startHubSpot({ associationPageSize: 3 });
    const { sandbox, connector } = h;
    const generated = sandbox.generate({ companies: 2, contacts: 17 });
    const { records } = await drain(connector.pull('companies', { fields: ['domain'] }));
    const contactsOf = (company: string) =>
      generated.contacts.filter((_, i) => i % 2 === generated.companies.indexOf(company));
    expect(records.map((r) => r.associations?.contacts)).toEqual(generated.companies.map(contactsOf));
    expect(records[0]?.associations?.contacts).toHaveLength(9);
    // One batch read, then the rest of each company's contacts three at a time: 2 more pages for 9, 2 for 8.
    expect(sandbox.calls('GET /crm/v4/objects/associations')).toBe(4);
  });

  it('pulls leads, where the portal has them, with their contact', async () => {
    h = await startHubSpot();
    const { sandbox, connector } = h;
    const [contact = ''] = sandbox.seed('contacts', [{ email: 'lead.owner@example.com' }]);
    const [lead = ''] = sandbox.seed('leads', [{ hs_lead_name: 'Inbound: pricing page' }]);
    sandbox.store.associate('leads', lead, 'contacts', contact);
    const { records } = await drain(connector.pull('leads', { fields: ['hs_lead_name'] }));
    expect(records).toMatchObject([
      {
        object: 'leads',
        id: lead,
        fields: { hs_lead_name: 'Inbound: pricing page' },
        associations: { contacts: [contact] },
      },
    ]);
  });

  it('reports archived and merged records after a cursor', async () => {
    h = await startHubSpot();
    const { sandbox, connector } = h;
    const ids = sandbox.seed(
      'contacts',
      Array.from({ length: 5 }, (_, i) => ({ email: `d${i}@example.com` })),
      Date.parse('2026-01-01T00:00:00Z'),
    );
    const since = { modifiedAt: '2026-01-01T00:00:00.000Z', id: ids[4] as string };
    sandbox.store.archive('contacts', ids[0] as string);
    sandbox.store.merge('contacts', ids[1] as string, ids[2] as string);
    const refs = [];
    for await (const page of connector.deleted('contacts', since)) refs.push(...page);
    expect(refs.map((r) => ({ id: r.id, mergedInto: r.mergedInto }))).toEqual([
      { id: ids[0], mergedInto: undefined },
      { id: ids[2], mergedInto: ids[1] },
    ]);
  });
});
