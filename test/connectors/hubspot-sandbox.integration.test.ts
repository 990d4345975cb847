import { Client } from '@hubspot/api-client';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ANALYTICS_SOURCES,
  COMPANY_TYPES,
  DEAL_TYPES,
  DEFAULT_DEAL_STAGES,
  INDUSTRIES,
  LEAD_STATUSES,
  LIFECYCLE_STAGES,
} from '../../connectors/hubspot/standard-options.ts';
import { HubSpotSandbox, SANDBOX_TOKEN } from '../../sandboxes/hubspot/index.ts';

/** The sandbox's HubSpot behaviour, seen over plain HTTP. */
describe('hubspot sandbox', () => {
  let sandbox: HubSpotSandbox;
  beforeAll(async () => {
    sandbox = await HubSpotSandbox.start({ limits: { perWindow: 1000, searchPerSecond: 1000 } });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.reset();
    sandbox.setRateLimits({ perWindow: 1000, windowMs: 10_000, searchPerSecond: 1000 });
  });

  const api = async (method: string, path: string, body?: unknown, token = SANDBOX_TOKEN) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  it('refuses a second contact with the same e-mail as HubSpot does', async () => {
    const first = await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'Dup@Example.com' } });
    expect(first.status).toBe(201);
    const second = await api('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'dup@example.com' },
    });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${first.body.id}`,
    });
  });

  it('keeps a unique property unique through creates, updates, seeds, archives and reads by it', async () => {
    const made = await api('POST', '/crm/v3/properties/contacts', {
      name: 'twin_id',
      label: 'Twin id',
      type: 'string',
      fieldType: 'text',
      groupName: 'contactinformation',
      hasUniqueValue: true,
    });
    expect(made.status).toBe(201);
    const [seeded = ''] = sandbox.seed('contacts', [{ email: 'seeded@example.com', twin_id: 'T-1' }]);
    const create = (email: string, twin: string) =>
      api('POST', '/crm/v3/objects/contacts', { properties: { email, twin_id: twin } });
    expect((await create('a@example.com', 'T-1')).status).toBe(409);
    const second = await create('b@example.com', 'T-2');
    expect(second.status).toBe(201);
    // Moved to another value, a record frees its old one; archived, it frees its value.
    const moved = await api('PATCH', `/crm/v3/objects/contacts/${seeded}`, {
      properties: { twin_id: 'T-3' },
    });
    expect(moved.status).toBe(200);
    expect((await create('c@example.com', 'T-1')).status).toBe(201);
    expect((await create('d@example.com', 'T-3')).status).toBe(409);
    expect((await api('DELETE', `/crm/v3/objects/contacts/${second.body.id}`)).status).toBe(204);
    expect((await create('e@example.com', 'T-2')).status).toBe(201);
    // Read by the unique property, as an id property.
    const read = await api('POST', '/crm/v3/objects/contacts/batch/read', {
      idProperty: 'twin_id',
      inputs: [{ id: 'T-3' }, { id: 'T-9' }],
      properties: ['email'],
    });
    expect(read.body.results.map((r: { properties: { email: string } }) => r.properties.email)).toEqual([
      'seeded@example.com',
    ]);
  });

  it('refuses a batch with a bad input as a whole unless every input carries a trace id', async () => {
    const inputs = [{ properties: { email: 'ok@example.com' } }, { properties: { email: 'nope' } }];
    const whole = await api('POST', '/crm/v3/objects/contacts/batch/create', { inputs });
    expect(whole.status).toBe(400);
    expect(sandbox.count('contacts')).toBe(0);
    const traced = inputs.map((input, i) => ({ ...input, objectWriteTraceId: `t${i}` }));
    const multi = await api('POST', '/crm/v3/objects/contacts/batch/create', { inputs: traced });
    expect(multi.status).toBe(207);
    expect(multi.body.errors).toMatchObject([
      { category: 'VALIDATION_ERROR', context: { objectWriteTraceId: ['t1'] } },
    ]);
    expect(sandbox.count('contacts')).toBe(1);
  });

  it('refuses to page a search past 10,000 results, 200 per page and one sort', async () => {
    sandbox.seed('contacts', [{ email: 'a@example.com' }]);
    expect((await api('POST', '/crm/v3/objects/contacts/search', { after: '10000', limit: 10 })).status).toBe(
      400,
    );
    expect((await api('POST', '/crm/v3/objects/contacts/search', { limit: 201 })).status).toBe(400);
    const twoSorts = { sorts: ['lastmodifieddate', 'hs_object_id'], limit: 10 };
    expect((await api('POST', '/crm/v3/objects/contacts/search', twoSorts)).status).toBe(400);
    expect((await api('GET', '/crm/v3/objects/contacts?limit=101')).status).toBe(400);
  });

  it('filters and sorts searches, with epoch-ms datetimes', async () => {
    const at = Date.parse('2026-03-01T00:00:00.000Z');
    const [, b, c] = sandbox.seed(
      'contacts',
      [{ email: 'x@a.com' }, { email: 'y@b.com' }, { email: 'z@c.com' }],
      at,
    );
    sandbox.touch('contacts', [b as string], { at: at + 5 });
    const found = await api('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [
        { filters: [{ propertyName: 'lastmodifieddate', operator: 'GT', value: String(at) }] },
        { filters: [{ propertyName: 'email', operator: 'IN', values: ['Z@C.COM'] }] },
      ],
      sorts: [{ propertyName: 'hs_object_id', direction: 'DESCENDING' }],
      limit: 10,
    });
    expect(found.body.results.map((r: { id: string }) => r.id)).toEqual([c, b]);
    expect(found.body.total).toBe(2);
    const missing = await api('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'NOT_HAS_PROPERTY' }] }],
      limit: 10,
    });
    expect(missing.body.total).toBe(3);
  });

  it('moves lifecycle stages forward only, and clears them with an empty string', async () => {
    const [id = ''] = sandbox.seed('contacts', [{ email: 'l@example.com', lifecyclestage: 'opportunity' }]);
    const set = (stage: string) =>
      api('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { lifecyclestage: stage } });
    expect((await set('lead')).status).toBe(200);
    expect(sandbox.read('contacts', id)?.lifecyclestage).toBe('opportunity');
    await set('');
    await set('lead');
    expect(sandbox.read('contacts', id)?.lifecyclestage).toBe('lead');
    expect((await set('hot-prospect')).status).toBe(400);
  });

  it("answers a spent window with HubSpot's 429 body and rate-limit headers", async () => {
    sandbox.setRateLimits({ perWindow: 2, windowMs: 60_000 });
    const ok = await api('GET', '/crm/v3/objects/contacts?limit=1');
    expect(ok.headers.get('x-hubspot-ratelimit-max')).toBe('2');
    expect(ok.headers.get('x-hubspot-ratelimit-remaining')).toBe('1');
    await api('GET', '/crm/v3/objects/contacts?limit=1');
    const refused = await api('GET', '/crm/v3/objects/contacts?limit=1');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(refused.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('60000');
    expect(sandbox.calls('GET /crm/v3/objects')).toBe(3);
  });

  it('sends no rate-limit headers on search answers, nor on any when told not to', async () => {
    const listed = await api('GET', '/crm/v3/objects/contacts?limit=1');
    expect(listed.headers.get('x-hubspot-ratelimit-max')).toBe('1000');
    expect(listed.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    const searched = await api('POST', '/crm/v3/objects/contacts/search', { limit: 1 });
    expect(searched.status).toBe(200);
    expect(searched.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    const bare = await HubSpotSandbox.start({ rateHeaders: false, limits: { perWindow: 1 } });
    try {
      const get = () =>
        fetch(`${bare.url}/crm/v3/objects/contacts?limit=1`, {
          headers: { authorization: `Bearer ${SANDBOX_TOKEN}` },
        });
      const answers = [await get(), await get()];
      expect(answers.map((a) => a.status)).toEqual([200, 429]);
      for (const a of answers)
        expect([...a.headers.keys()].filter((k) => k.startsWith('x-hubspot'))).toEqual([]);
    } finally {
      await bare.close();
    }
  });

  it('generates the same realistic records from the same seed', async () => {
    const other = await HubSpotSandbox.start({ seed: 42 });
    try {
      const mine = sandbox.generate({ companies: 2, contacts: 5, deals: 1 });
      const theirs = other.generate({ companies: 2, contacts: 5, deals: 1 });
      const emails = (s: HubSpotSandbox, ids: string[]) => ids.map((id) => s.read('contacts', id)?.email);
      expect(emails(other, theirs.contacts)).toEqual(emails(sandbox, mine.contacts));
      expect(sandbox.read('contacts', mine.contacts[1] as string)?.email).toMatch(/@.+\.example\.com$/);
      expect(sandbox.store.associated('deals', mine.deals[0] as string, 'companies')).toEqual([
        mine.companies[0],
      ]);
    } finally {
      await other.close();
    }
  });

  it('generates the familiar values it always has by default', async () => {
    const fresh = new HubSpotSandbox({ seed: 42 });
    const g = fresh.generate({ companies: 2, contacts: 3, deals: 2 });
    const pick = (type: string, ids: string[], field: string) =>
      ids.map((id) => fresh.read(type, id)?.[field]);
    expect(pick('companies', g.companies, 'industry')).toEqual([
      'TELECOMMUNICATIONS',
      'HOSPITAL_HEALTH_CARE',
    ]);
    expect(pick('companies', g.companies, 'type')).toEqual(['PROSPECT', 'PROSPECT']);
    expect(pick('contacts', g.contacts, 'lifecyclestage')).toEqual([
      'lead',
      'marketingqualifiedlead',
      'subscriber',
    ]);
    expect(pick('contacts', g.contacts, 'hs_lead_status')).toEqual([undefined, undefined, undefined]);
    expect(pick('deals', g.deals, 'dealstage')).toEqual(['appointmentscheduled', 'decisionmakerboughtin']);
    expect(pick('deals', g.deals, 'dealtype')).toEqual(['newbusiness', 'existingbusiness']);
  });

  it("offers a new portal's standard options, and can seed every one of them", async () => {
    const options = async (type: string, name: string) =>
      (await api('GET', `/crm/v3/properties/${type}/${name}`)).body.options.map(
        (o: { value: string }) => o.value,
      );
    expect(await options('companies', 'type')).toEqual([...COMPANY_TYPES]);
    expect(await options('companies', 'industry')).toEqual([...INDUSTRIES]);
    expect(await options('contacts', 'industry')).toEqual([...INDUSTRIES]);
    expect(await options('contacts', 'hs_lead_status')).toEqual([...LEAD_STATUSES]);
    expect(await options('contacts', 'hs_analytics_source')).toEqual([...ANALYTICS_SOURCES]);
    expect(await options('contacts', 'lifecyclestage')).toEqual([...LIFECYCLE_STAGES]);
    expect(await options('deals', 'dealtype')).toEqual([...DEAL_TYPES]);
    const pipelines = (await api('GET', '/crm/v3/pipelines/deals')).body.results;
    expect(pipelines[0].stages.map((s: { id: string }) => s.id)).toEqual([...DEFAULT_DEAL_STAGES]);
    const refused = await api('POST', '/crm/v3/objects/companies', {
      properties: { name: 'C', type: 'CUSTOMER' },
    });
    expect(refused.body).toMatchObject({
      category: 'VALIDATION_ERROR',
      errors: [{ code: 'INVALID_OPTION', in: 'type' }],
    });

    const g = sandbox.generate({
      companies: INDUSTRIES.length,
      contacts: INDUSTRIES.length,
      deals: 8,
      values: 'all-standard',
    });
    const seen = (type: string, ids: string[], field: string) =>
      [...new Set(ids.map((id) => sandbox.read(type, id)?.[field]))].sort();
    const sorted = (values: readonly string[]) => [...values].sort();
    expect(seen('companies', g.companies, 'industry')).toEqual(sorted(INDUSTRIES));
    expect(seen('companies', g.companies, 'type')).toEqual(sorted(COMPANY_TYPES));
    expect(seen('contacts', g.contacts, 'industry')).toEqual(sorted(INDUSTRIES));
    expect(seen('contacts', g.contacts, 'lifecyclestage')).toEqual(sorted(LIFECYCLE_STAGES));
    expect(seen('contacts', g.contacts, 'hs_lead_status')).toEqual(sorted(LEAD_STATUSES));
    expect(seen('contacts', g.contacts, 'hs_analytics_source')).toEqual(sorted(ANALYTICS_SOURCES));
    expect(seen('deals', g.deals, 'dealstage')).toEqual(sorted(DEFAULT_DEAL_STAGES));
    expect(seen('deals', g.deals, 'dealtype')).toEqual(sorted(DEAL_TYPES));
  });

  it('starts as a new portal: no custom property, and writing one fails with PROPERTY_DOESNT_EXIST', async () => {
    const listed = (await api('GET', '/crm/v3/properties/contacts')).body.results;
    expect(listed.filter((p: { hubspotDefined: boolean }) => !p.hubspotDefined)).toEqual([]);
    expect(listed.map((p: { name: string }) => p.name)).not.toContain('crm_bridge_score');
    const unknown = { properties: { email: 'x@example.com', crm_bridge_score: '5' } };
    const doesNotExist = { code: 'PROPERTY_DOESNT_EXIST', in: 'crm_bridge_score' };
    const single = await api('POST', '/crm/v3/objects/contacts', unknown);
    expect(single.status).toBe(400);
    expect(single.body.errors).toEqual([expect.objectContaining(doesNotExist)]);
    const [id = ''] = sandbox.seed('contacts', [{ email: 'y@example.com' }]);
    const patched = await api('PATCH', `/crm/v3/objects/contacts/${id}`, {
      properties: { crm_bridge_score: '5' },
    });
    expect(patched.body.errors).toEqual([expect.objectContaining(doesNotExist)]);
    const traced = await api('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [
        { ...unknown, objectWriteTraceId: 'a' },
        { properties: { email: 'z@example.com' }, objectWriteTraceId: 'b' },
      ],
    });
    expect(traced.status).toBe(207);
    expect(traced.body.errors).toEqual([
      expect.objectContaining({ errors: [expect.objectContaining(doesNotExist)] }),
    ]);
    const upsert = await api('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [{ id: 'w@example.com', idProperty: 'email', properties: { crm_bridge_score: '5' } }],
    });
    expect(upsert.body.errors).toEqual([expect.objectContaining(doesNotExist)]);
    const update = await api('POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: [{ id, properties: { crm_bridge_score: '5' } }],
    });
    expect(update.body.errors).toEqual([expect.objectContaining(doesNotExist)]);
    expect(sandbox.count('contacts')).toBe(2);
    expect(sandbox.read('contacts', id)?.crm_bridge_score).toBeUndefined();
  });

  it('reads around a property it does not have, without complaint', async () => {
    const [id = ''] = sandbox.seed('contacts', [{ email: 'r@example.com' }]);
    const one = await api('GET', `/crm/v3/objects/contacts/${id}?properties=email,nosuch,phone`);
    expect(one.status).toBe(200);
    expect(one.body.properties).toMatchObject({ email: 'r@example.com', phone: null });
    expect(one.body.properties).not.toHaveProperty('nosuch');
    const page = await api('GET', '/crm/v3/objects/contacts?limit=10&properties=nosuch');
    expect(page.body.results[0].properties).not.toHaveProperty('nosuch');
    const read = await api('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id }],
      properties: ['email', 'nosuch'],
    });
    expect(read.status).toBe(200);
    expect(read.body.results[0].properties).not.toHaveProperty('nosuch');
    const found = await api('POST', '/crm/v3/objects/contacts/search', { properties: ['nosuch'], limit: 10 });
    expect(found.body.results[0].properties).not.toHaveProperty('nosuch');
  });

  it('creates custom properties and groups through the real client, 409 when they exist, and forgets them on reset', async () => {
    const client = new Client({ basePath: sandbox.url, accessToken: SANDBOX_TOKEN });
    const { coreApi, groupsApi } = client.crm.properties;
    await groupsApi.create('contacts', { name: 'crm_bridge', label: 'crm-bridge' });
    const conflict = await groupsApi
      .create('contacts', { name: 'crm_bridge', label: 'again' })
      .catch((e) => e);
    expect(conflict).toMatchObject({ code: 409 });
    const score = {
      name: 'crm_bridge_score',
      label: 'Score',
      type: PropertyCreateTypeEnum.Number,
      fieldType: PropertyCreateFieldTypeEnum.Number,
      groupName: 'crm_bridge',
    };
    const created = await coreApi.create('contacts', score);
    expect(created).toMatchObject({ name: 'crm_bridge_score', type: 'number', hubspotDefined: false });
    expect(await coreApi.create('contacts', score).catch((e) => e)).toMatchObject({ code: 409 });
    const noGroup = await coreApi
      .create('contacts', { ...score, name: 'other', groupName: 'nowhere' })
      .catch((e) => e);
    expect(noGroup).toMatchObject({ code: 400 });
    const temperature = await coreApi.create('contacts', {
      name: 'crm_bridge_temperature',
      label: 'Temperature',
      type: PropertyCreateTypeEnum.Enumeration,
      fieldType: PropertyCreateFieldTypeEnum.Select,
      groupName: 'crm_bridge',
      options: ['hot', 'cold'].map((value, displayOrder) => ({
        label: value,
        value,
        displayOrder,
        hidden: false,
      })),
    });
    expect(temperature.options.map((o) => o.value)).toEqual(['hot', 'cold']);

    const written = await api('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'p@example.com', crm_bridge_score: '7', crm_bridge_temperature: 'hot' },
    });
    expect(written.status).toBe(201);
    expect(sandbox.read('contacts', written.body.id)).toMatchObject({ crm_bridge_score: '7' });
    const refused = await api('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'q@example.com', crm_bridge_temperature: 'lukewarm' },
    });
    expect(refused.body.errors).toEqual([expect.objectContaining({ code: 'INVALID_OPTION' })]);

    sandbox.reset();
    expect((await api('GET', '/crm/v3/properties/contacts/crm_bridge_score')).status).toBe(404);
  });

  it('answers 401 for a wrong or expired token', async () => {
    expect((await api('GET', '/crm/v3/objects/contacts', undefined, 'wrong')).body).toMatchObject({
      category: 'INVALID_AUTHENTICATION',
    });
  });
});
