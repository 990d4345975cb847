import * as v1 from 'pipedrive/v1';
import * as v2 from 'pipedrive/v2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PIPEDRIVE_SANDBOX_TOKEN, PipedriveSandbox } from '../../sandboxes/pipedrive/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the answers are read loosely, as JSON.
type Answer = any;

/** The sandbox on the wire, as any HTTP client meets it: what a new company account holds, refuses and limits. */
describe('Pipedrive sandbox', () => {
  let sandbox: PipedriveSandbox;
  const call = async (method: string, path: string, body?: unknown, token = PIPEDRIVE_SANDBOX_TOKEN) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { 'x-api-token': token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Answer };
  };

  beforeAll(async () => {
    sandbox = await PipedriveSandbox.start({ customFields: {}, limits: { perWindow: 1000 } });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.reset();
    sandbox.setRateLimits({ perWindow: 1000 });
  });

  it('refuses a wrong token with 401 "unauthorized access", by header or query', async () => {
    const wrong = await call('GET', '/api/v2/persons', undefined, 'nope');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ success: false, error: 'unauthorized access' });
    const byQuery = await fetch(`${sandbox.url}/api/v2/persons?api_token=${PIPEDRIVE_SANDBOX_TOKEN}`);
    expect(byQuery.status).toBe(200);
  });

  it('lists a new company account with only standard fields, and makes a custom field with a 40-hex key', async () => {
    const before = await call('GET', '/api/v1/personFields?limit=500');
    expect(before.body.data.map((f: { key: string }) => f.key)).toContain('email');
    expect(before.body.data.some((f: { key: string }) => /^[0-9a-f]{40}$/.test(f.key))).toBe(false);
    const made = await call('POST', '/api/v1/personFields', {
      name: 'Tier',
      field_type: 'enum',
      options: [{ label: 'Gold' }],
    });
    expect(made.status).toBe(201);
    expect(made.body.data.key).toMatch(/^[0-9a-f]{40}$/);
    expect(made.body.data.options[0]).toMatchObject({ label: 'Gold' });
    const refused = await call('POST', '/api/v1/personFields', { name: 'Bad', field_type: 'enum' });
    expect(refused.status).toBe(400);
  });

  it('refuses invalid writes: missing name, bad e-mail, unknown custom field, unknown option', async () => {
    const field = (
      await call('POST', '/api/v1/personFields', { name: 'Tier', field_type: 'enum', options: ['Gold'] })
    ).body.data;
    const cases: [unknown, RegExp][] = [
      [{ emails: [{ value: 'a@b.co' }] }, /name: Parameter is required/],
      [{ name: 'X', emails: [{ value: 'not-an-email' }] }, /Invalid email address/],
      [{ name: 'X', custom_fields: { ['f'.repeat(40)]: 'x' } }, /does not exist/],
      [{ name: 'X', custom_fields: { [field.key]: 999 } }, /Option with ID 999 does not exist/],
      [{ name: 'X', shoe_size: 42 }, /shoe_size: Parameter is not allowed/],
    ];
    for (const [body, message] of cases) {
      const answer = await call('POST', '/api/v2/persons', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatch(message);
    }
    expect(sandbox.count('persons')).toBe(0);
    const good = await call('POST', '/api/v2/persons', {
      name: 'Ada Lovelace',
      custom_fields: { [field.key]: field.options[0].id },
    });
    expect(good.body.data).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });
  });

  it('pages by cursor in update_time order without losing records that share one second', async () => {
    const at = Date.parse('2026-01-01T00:00:00Z');
    const ids = sandbox.seed(
      'persons',
      Array.from({ length: 25 }, (_, i) => ({ name: `P ${i}` })),
      at,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `sort_by=update_time&limit=10&updated_since=2026-01-01T00:00:00Z${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call('GET', `/api/v2/persons?${query}`);
      seen.push(...page.body.data.map((p: { id: number }) => String(p.id)));
      cursor = page.body.additional_data.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('sends the rate-limit headers and answers 429 once the window is full', async () => {
    sandbox.setRateLimits({ perWindow: 3, windowMs: 2000 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await call('GET', '/api/v2/persons'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]?.headers.get('x-ratelimit-limit')).toBe('3');
    expect(answers[2]?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(answers[3]?.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect(answers[3]?.body.error).toBe('Request over limit');
  });

  it('converts a lead to a deal, deleting the lead; lists deleted deals and recents', async () => {
    const [person = ''] = sandbox.seed('persons', [{ name: 'Lead Person' }]);
    const lead = await call('POST', '/api/v1/leads', {
      title: 'Big one',
      person_id: Number(person),
      value: { amount: 5, currency: 'USD' },
    });
    expect(lead.status).toBe(201);
    const noLink = await call('POST', '/api/v1/leads', { title: 'Orphan' });
    expect(noLink.body.error).toMatch(/person_id or organization_id/);
    const job = await call('POST', `/api/v2/leads/${lead.body.data.id}/convert/deal`, {});
    const status = await call(
      'GET',
      `/api/v2/leads/${lead.body.data.id}/convert/status/${job.body.data.conversion_id}`,
    );
    expect(status.body.data).toMatchObject({ status: 'completed' });
    const deal = await call('GET', `/api/v2/deals/${status.body.data.deal_id}`);
    expect(deal.body.data).toMatchObject({
      title: 'Big one',
      value: 5,
      currency: 'USD',
      person_id: Number(person),
    });
    expect((await call('GET', `/api/v1/leads/${lead.body.data.id}`)).status).toBe(404);

    await call('DELETE', `/api/v2/deals/${status.body.data.deal_id}`);
    expect((await call('GET', '/api/v2/deals')).body.data).toEqual([]);
    const deleted = await call('GET', '/api/v2/deals?status=deleted');
    expect(deleted.body.data[0]).toMatchObject({ id: status.body.data.deal_id, is_deleted: true });
    const recents = await call('GET', '/api/v1/recents?items=deal&since_timestamp=2000-01-01 00:00:00');
    expect(recents.body.data[0].data).toMatchObject({ active_flag: false });
  });

  it("answers the official client's own API classes as Pipedrive does, errors included", async () => {
    const persons = new v2.PersonsApi(
      new v2.Configuration({ apiKey: PIPEDRIVE_SANDBOX_TOKEN, basePath: `${sandbox.url}/api/v2` }),
    );
    const made = await persons.addPerson({
      AddPersonRequest: {
        name: 'Client Made',
        emails: [{ value: 'client@example.com', primary: true, label: 'work' }],
      },
    });
    expect(made.data).toMatchObject({ name: 'Client Made', emails: [{ value: 'client@example.com' }] });
    const listed = await persons.getPersons({ sort_by: 'update_time', limit: 10 });
    expect(listed.data?.map((p) => p.name)).toEqual(['Client Made']);
    const refused = await persons.addPerson({ AddPersonRequest: {} }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      success: false,
      error: 'Validation failed: name: Parameter is required',
    });
    const leads = new v1.LeadsApi(
      new v1.Configuration({ apiKey: PIPEDRIVE_SANDBOX_TOKEN, basePath: `${sandbox.url}/api/v1` }),
    );
    const lead = await leads.addLead({
      AddLeadRequest: { title: 'Client lead', person_id: Number(made.data?.id) },
    });
    expect(lead.data).toMatchObject({ title: 'Client lead', person_id: made.data?.id });
    const page = await leads.getLeads({ limit: 1 });
    expect((page.additional_data as { pagination?: unknown } | undefined)?.pagination).toMatchObject({
      start: 0,
      limit: 1,
      more_items_in_collection: false,
    });
  });
});
