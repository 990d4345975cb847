import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPipedriveConnector, type PipedriveConnector } from '../../connectors/pipedrive/index.ts';
import { EXAMPLE_CUSTOM_FIELDS, PipedriveSandbox } from '../../sandboxes/pipedrive/index.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { ExternalRecord } from '../../src/connector/types.ts';
import { startPipedrive } from './pipedrive-harness.ts';

async function all(pages: AsyncIterable<{ records: readonly ExternalRecord[] }>): Promise<ExternalRecord[]> {
  const out: ExternalRecord[] = [];
  for await (const page of pages) out.push(...page.records);
  return out;
}

describe('Pipedrive connector', () => {
  let sandbox: PipedriveSandbox;
  let connector: PipedriveConnector;
  const keyOf = (object: 'persons' | 'deals', name: string) =>
    sandbox.store.schema.custom(object).find((f) => f.name === name)?.key as string;

  beforeAll(async () => {
    ({ sandbox, connector } = await startPipedrive({ customFields: EXAMPLE_CUSTOM_FIELDS }));
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.reset();
    connector.forgetDescribe();
  });

  it('describes a new company account with standard fields only, and a custom field once it is made', async () => {
    const fresh = await PipedriveSandbox.start({ customFields: {} });
    try {
      const own = createPipedriveConnector({ baseUrl: fresh.url, apiToken: 'sandbox-pipedrive-token' });
      const before = await own.describe('persons');
      expect(before.fields.some((f) => /^[0-9a-f]{40}$/.test(f.name))).toBe(false);
      expect(before.fields.find((f) => f.name === 'name')).toMatchObject({ required: true, writable: true });
      expect(before.fields.find((f) => f.name === 'update_time')).toMatchObject({ writable: false });
      const key = await own.createField('persons', 'Source system', 'enum', ['Web', 'Trade show']);
      expect(key).toMatch(/^[0-9a-f]{40}$/);
      const after = await own.describe('persons');
      expect(
        after.fields
          .filter((f) => f.label === 'Source system')
          .map((f) => f.name)
          .sort(),
      ).toEqual([key, 'Source system'].sort());
      expect(after.fields.find((f) => f.name === key)?.picklist?.map((p) => p.value)).toEqual([
        'Web',
        'Trade show',
      ]);
    } finally {
      await fresh.close();
    }
  });

  it('creates the custom fields a config writes, by name, and refuses what Pipedrive cannot make', async () => {
    const fresh = await PipedriveSandbox.start({ customFields: {} });
    try {
      const own = createPipedriveConnector({ baseUrl: fresh.url, apiToken: 'sandbox-pipedrive-token' });
      const setup = own.setup();
      const twin = {
        object: 'persons',
        name: 'crm-bridge twin id',
        label: 'Twin id',
        kind: 'text',
        unique: true,
      } as const;
      const stage = {
        object: 'leads',
        name: 'Stage',
        label: 'Stage',
        kind: 'picklist',
        options: ['MQL', 'SQL'],
      } as const;
      expect(setup.as(twin)).toBe('varchar (Pipedrive cannot require unique values)');
      expect(setup.as(stage)).toBe('enum: MQL, SQL on deals, shared with leads');
      expect(setup.refuses({ ...twin, name: 'a'.repeat(40) })).toMatch(/name the field by its name/);
      expect(setup.refuses({ ...twin, name: 'email' })).toMatch(/standard Pipedrive field/);
      const outcome = await setup.apply([twin, stage], [twin, stage]);
      expect(outcome.failures).toEqual([]);
      expect(outcome.created.map((c) => c.spec.name)).toEqual(['crm-bridge twin id', 'Stage']);
      const leads = await own.describe('leads');
      expect(leads.fields.find((f) => f.name === 'Stage')?.picklist?.map((p) => p.value)).toEqual([
        'MQL',
        'SQL',
      ]);
      const [written] = await own.push('persons', [
        { ref: 'p', fields: { name: 'Twin', 'crm-bridge twin id': '003XYZ' } },
      ]);
      expect(written).toMatchObject({ ok: true, created: true });
      const again = await own.push('persons', [
        {
          ref: 'p',
          upsertBy: { field: 'crm-bridge twin id', value: '003XYZ' },
          fields: { name: 'Twin Again' },
        },
      ]);
      expect(again[0]).toMatchObject({ ok: true, created: false });
      expect(fresh.count('persons')).toBe(1);
      expect(
        setup.conflict(
          { ...twin, kind: 'number' },
          { name: 'x', type: 'varchar', required: false, writable: true },
        ),
      ).toMatch(/is a varchar field/);
    } finally {
      await fresh.close();
    }
  });

  it('writes and reads custom fields by hash key or by name, option fields by label', async () => {
    const score = keyOf('persons', 'Lead score');
    const stage = keyOf('persons', 'Lifecycle stage');
    const [byName, byKey] = await connector.push('persons', [
      {
        ref: 'n',
        fields: {
          name: 'By Name',
          email: 'by.name@example.com',
          'Lead score': '42',
          'Lifecycle stage': 'MQL',
        },
      },
      { ref: 'k', fields: { name: 'By Key', [score]: 7, [stage]: 'sql' } },
    ]);
    if (!byName?.ok || !byKey?.ok) throw new Error(`push failed: ${JSON.stringify([byName, byKey])}`);
    const stored = sandbox.read('persons', byName.id)?.custom_fields as Record<string, unknown>;
    const mql = sandbox.store.schema.get('persons', stage)?.options?.find((o) => o.label === 'MQL')?.id;
    expect(stored[score]).toBe(42);
    expect(stored[stage]).toBe(mql);
    expect(sandbox.read('persons', byName.id)?.emails).toEqual([
      { value: 'by.name@example.com', primary: true, label: 'work' },
    ]);

    const records = await connector.read('persons', [byName.id, byKey.id], ['Lead score', 'Lifecycle stage']);
    expect(
      records.map((r) => [
        r.fields['Lead score'],
        r.fields[score],
        r.fields['Lifecycle stage'],
        r.fields[stage],
      ]),
    ).toEqual([
      [42, 42, 'MQL', 'MQL'],
      [7, 7, 'SQL', 'SQL'],
    ]);
    expect(records[0]?.fields.email).toBe('by.name@example.com');
  });

  it('reads and writes stages, pipelines and lead labels by name', async () => {
    const [person = ''] = sandbox.seed('persons', [{ name: 'Named Options' }]);
    const [deal, lead] = [
      ...(await connector.push('deals', [
        { ref: 'd', fields: { title: 'Staged', stage_id: 'Demo Scheduled', label_ids: 'Hot;Cold' } },
      ])),
      ...(await connector.push('leads', [
        { ref: 'l', fields: { title: 'Labelled', person_id: person, label_ids: 'Warm' } },
      ])),
    ];
    if (!deal?.ok || !lead?.ok) throw new Error(`push failed: ${JSON.stringify([deal, lead])}`);
    expect(sandbox.read('deals', deal.id)).toMatchObject({ stage_id: 3, pipeline_id: 1, label_ids: [1, 3] });
    expect(sandbox.read('leads', lead.id)?.label_ids).toEqual(['f08b42a1-4e75-11ea-9643-03698ef1cfd6']);
    const [readDeal] = await connector.read('deals', [deal.id], ['stage_id']);
    const [readLead] = await connector.read('leads', [lead.id], ['label_ids']);
    expect(readDeal?.fields).toMatchObject({
      stage_id: 'Demo Scheduled',
      pipeline_id: 'Pipeline',
      label_ids: 'Hot;Cold',
    });
    expect(readLead?.fields.label_ids).toBe('Warm');
    const stages = (await connector.describe('deals')).fields.find((f) => f.name === 'stage_id')?.picklist;
    expect(stages?.map((p) => p.value)).toEqual([
      'Qualified',
      'Contact Made',
      'Demo Scheduled',
      'Proposal Made',
      'Negotiations Started',
    ]);
  });

  it('upserts organizations by name and leads by title through exact search, refusing an ambiguous key', async () => {
    const [person = ''] = sandbox.seed('persons', [{ name: 'Lead Owner' }]);
    sandbox.seed('organizations', [{ name: 'Twice' }, { name: 'twice' }]);
    const lead = {
      ref: 'l',
      upsertBy: { field: 'title', value: 'Upserted lead' },
      fields: { title: 'Upserted lead', person_id: person },
    };
    const first = await connector.push('leads', [lead]);
    const second = await connector.push('leads', [
      { ...lead, fields: { ...lead.fields, value: 10, currency: 'EUR' } },
    ]);
    expect(first[0]).toMatchObject({ ok: true, created: true });
    expect(second[0]).toMatchObject({ ok: true, created: false, id: first[0]?.ok ? first[0].id : '' });
    expect(sandbox.count('leads')).toBe(1);
    const [ambiguous] = await connector.push('organizations', [
      { ref: 'o', upsertBy: { field: 'name', value: 'Twice' }, fields: { name: 'Twice' } },
    ]);
    expect(ambiguous).toMatchObject({ ok: false, error: { kind: 'conflict', code: 'DUPLICATE' } });
  });

  it('returns each refusal as a result naming the field: bad e-mail, missing name, unknown field, unknown option', async () => {
    const results = await connector.push('persons', [
      { ref: 'email', fields: { name: 'Bad Mail', email: 'not-an-email' } },
      { ref: 'name', fields: { email: 'no.name@example.com' } },
      { ref: 'custom', fields: { name: 'Ghost', ['f'.repeat(40)]: 'x' } },
      { ref: 'option', fields: { name: 'Odd', 'Lifecycle stage': 'Evangelist' } },
      { ref: 'fine', fields: { name: 'Fine Person' } },
    ]);
    const errors = Object.fromEntries(
      results.map((r) => [
        r.ref,
        r.ok ? 'ok' : `${r.error.kind} ${r.error.fields?.join(',')} ${r.error.message}`,
      ]),
    );
    expect(errors.email).toMatch(/^invalid email .*Invalid email address 'not-an-email'/);
    expect(errors.name).toMatch(/^invalid name .*name: Parameter is required/);
    expect(errors.custom).toMatch(/^invalid custom_fields .*does not exist/);
    expect(errors.option).toMatch(
      /^invalid Lifecycle stage .*"Evangelist" is not an option of Lifecycle stage; expected one of Lead, MQL, SQL, Customer/,
    );
    expect(errors.fine).toBe('ok');
    expect(sandbox.count('persons')).toBe(1);
  });

  it('converts a lead into a deal with its person and organization, once', async () => {
    const [org = ''] = sandbox.seed('organizations', [{ name: 'Acme' }]);
    const [person = ''] = sandbox.seed('persons', [{ name: 'Lead Person', org_id: Number(org) }]);
    const twin = keyOf('deals', 'crm-bridge twin id');
    const [lead = ''] = sandbox.seed('leads', [
      {
        title: 'Acme expansion',
        person_id: Number(person),
        value: { amount: 12000, currency: 'USD' },
        [twin]: 'SF-1',
      },
    ]);
    const [orphan = ''] = sandbox.seed('leads', [{ title: 'No person', organization_id: Number(org) }]);
    const conversion = { ref: 'c', personId: lead, createOpportunity: true, accountId: org };
    const first = await connector.convert([
      conversion,
      { ref: 'o', personId: orphan, createOpportunity: true },
    ]);
    expect(first[0]).toMatchObject({
      ref: 'c',
      ok: true,
      contactId: person,
      accountId: org,
      alreadyConverted: false,
    });
    expect(first[1]).toMatchObject({ ref: 'o', ok: false, error: { kind: 'invalid' } });
    const dealId = first[0]?.ok ? (first[0].opportunityId as string) : '';
    expect(sandbox.read('deals', dealId)).toMatchObject({
      title: 'Acme expansion',
      value: 12000,
      currency: 'USD',
      person_id: Number(person),
    });
    expect(sandbox.read('deals', dealId)?.custom_fields).toMatchObject({ [twin]: 'SF-1' });
    expect(sandbox.read('leads', lead)).toBeUndefined();

    const again = await connector.convert([
      conversion,
      { ref: 'gone', personId: '00000000-0000-4000-8000-000000000000', createOpportunity: true },
    ]);
    expect(again[0]).toMatchObject({
      ref: 'c',
      ok: true,
      contactId: person,
      opportunityId: dealId,
      alreadyConverted: true,
    });
    expect(again[1]).toMatchObject({ ref: 'gone', ok: false, error: { kind: 'not-found' } });
    expect(sandbox.count('deals')).toBe(1);
  });

  it('converts a sales-ready person by giving it a deal in the named stage, once', async () => {
    const [org = ''] = sandbox.seed('organizations', [{ name: 'Globex' }]);
    const [person = '', other = ''] = sandbox.seed('persons', [
      { name: 'Hank Scorpio', org_id: Number(org) },
      { name: 'No Deal' },
    ]);
    const conversion = {
      ref: 'p',
      personId: person,
      createOpportunity: true,
      opportunityName: 'Hank Scorpio Globex',
      deal: { pipeline: 'Pipeline', stage: 'proposal made', amount: 5000 },
    };
    const [first] = await connector.convert([conversion]);
    expect(first).toMatchObject({
      ref: 'p',
      ok: true,
      contactId: person,
      accountId: org,
      alreadyConverted: false,
    });
    const dealId = first?.ok ? (first.opportunityId as string) : '';
    expect(sandbox.read('deals', dealId)).toMatchObject({
      title: 'Hank Scorpio Globex',
      person_id: Number(person),
      org_id: Number(org),
      stage_id: 4,
      value: 5000,
    });
    const [again, wrong] = await connector.convert([
      conversion,
      {
        ref: 'w',
        personId: other,
        createOpportunity: true,
        deal: { pipeline: 'Pipeline', stage: 'closedwon' },
      },
    ]);
    expect(again).toMatchObject({ ok: true, opportunityId: dealId, alreadyConverted: true });
    expect(wrong).toMatchObject({ ref: 'w', ok: false, error: { kind: 'invalid' } });
    expect(wrong?.ok === false && wrong.error.message).toMatch(
      /no stage "closedwon"; expected one of Qualified, Contact Made/,
    );
    expect(sandbox.count('deals')).toBe(1);
  });

  it('converts a sales-ready person through their open lead in the Leads Inbox: that lead becomes the deal', async () => {
    const [org = ''] = sandbox.seed('organizations', [{ name: 'Initech' }]);
    const [person = '', archivedOnly = ''] = sandbox.seed('persons', [
      { name: 'Peter Gibbons', org_id: Number(org) },
      { name: 'Milton Waddams' },
    ]);
    const [archived = '', open = '', elsewhere = ''] = sandbox.seed('leads', [
      { title: 'Old inquiry', person_id: Number(person), is_archived: true },
      { title: 'Initech TPS rollout', person_id: Number(person), value: { amount: 8000, currency: 'USD' } },
      { title: 'Stapler', person_id: Number(archivedOnly), is_archived: true },
    ]);
    const conversion = {
      ref: 'p',
      personId: person,
      createOpportunity: true,
      opportunityName: 'Peter Gibbons Initech',
    };
    // Milton first: his look-up must find only his own leads, not Peter's open one.
    const [second, first] = await connector.convert([
      { ref: 'm', personId: archivedOnly, createOpportunity: true, opportunityName: 'Milton Waddams deal' },
      conversion,
    ]);
    expect(first).toMatchObject({
      ref: 'p',
      ok: true,
      contactId: person,
      accountId: org,
      alreadyConverted: false,
    });
    const dealId = first?.ok ? (first.opportunityId as string) : '';
    // The lead's own title and value, not a new deal's: Pipedrive's conversion, and the lead leaves the inbox.
    expect(sandbox.read('deals', dealId)).toMatchObject({
      title: 'Initech TPS rollout',
      value: 8000,
      person_id: Number(person),
    });
    expect(sandbox.read('leads', open)).toBeUndefined();
    expect(sandbox.read('leads', archived)).toBeDefined();
    // An archived lead is left alone: the person gets a deal of their own.
    expect(second).toMatchObject({ ref: 'm', ok: true, contactId: archivedOnly, alreadyConverted: false });
    const milton = second?.ok ? (second.opportunityId as string) : '';
    expect(sandbox.read('deals', milton)).toMatchObject({ title: 'Milton Waddams deal' });
    expect(sandbox.read('leads', elsewhere)).toBeDefined();

    const [again] = await connector.convert([conversion]);
    expect(again).toMatchObject({ ok: true, opportunityId: dealId, alreadyConverted: true });
    expect(sandbox.count('deals')).toBe(2);
  });

  it('reports deleted persons and deals after the cursor, and removes idempotently', async () => {
    const persons = sandbox.seed('persons', [{ name: 'Stays' }, { name: 'Goes' }]);
    const deals = sandbox.seed('deals', [{ title: 'Goes too' }]);
    const pulled = await all(connector.pull('persons', { fields: ['name'] }));
    const since = { modifiedAt: pulled.at(-1)?.modifiedAt ?? '', id: '' };
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const removed = await connector.remove('persons', [persons[1] as string, '999999']);
    expect(removed.map((r) => r.ok)).toEqual([true, true]);
    await connector.remove('deals', deals);
    const gone: string[] = [];
    for await (const refs of connector.deleted('persons', since)) gone.push(...refs.map((r) => r.id));
    for await (const refs of connector.deleted('deals', since)) gone.push(...refs.map((r) => `deal ${r.id}`));
    expect(gone).toEqual([persons[1], `deal ${deals[0]}`]);
    expect(sandbox.count('persons')).toBe(1);
  });

  it('ends a refused token in an auth ConnectorFailure that never shows the token', async () => {
    const secret = 'pd-secret-token-1234567890';
    const refused = createPipedriveConnector({ baseUrl: sandbox.url, apiToken: secret });
    const error = await refused.describe('persons').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorFailure);
    expect(error).toMatchObject({ kind: 'auth' });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"Pipedrive refused the API token (401 unauthorized access): check the connection's apiToken"`,
    );
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(String((error as Error).stack)).not.toContain(secret);
  });
});
