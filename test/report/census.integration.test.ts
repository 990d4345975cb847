import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { ENGINES, type TestDatabase } from '../support/databases.ts';

/** The state store's census of people for the round report's funnel, and the report kept in the run log. */
describe.each(ENGINES)('the run log on %s', (_engine, create) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    db = create();
    store = await openStore(db.url);
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('counts each person’s stage as last synced, its links, and the records not in step', async () => {
    await store.saveSnapshots([
      { unifiedId: 'p1', entity: 'person', data: { email: 'a@x.example', lifecycleStage: 'lead' } },
      { unifiedId: 'p2', entity: 'person', data: { email: 'b@x.example', lifecycleStage: null } },
      { unifiedId: 'p3', entity: 'person', data: { email: 'c@x.example', address: { city: 'Oslo' } } },
      { unifiedId: 'a1', entity: 'account', data: { lifecycleStage: 'customer' } },
    ]);
    await store.link([
      { entity: 'person', unifiedId: 'p1', connection: 'sf', object: 'Lead', externalId: 'L1' },
      { entity: 'person', unifiedId: 'p1', connection: 'hs', object: 'contacts', externalId: '1' },
      { entity: 'person', unifiedId: 'p2', connection: 'hs', object: 'contacts', externalId: '2' },
      { entity: 'account', unifiedId: 'a1', connection: 'hs', object: 'companies', externalId: '9' },
    ]);
    await store.quarantine([
      {
        entity: 'person',
        connection: 'hs',
        object: 'contacts',
        externalId: '1',
        field: 'lifecycleStage',
        value: 'x',
        reason: 'no counterpart',
        kind: 'field',
      },
      {
        entity: 'person',
        connection: 'hs',
        object: 'contacts',
        externalId: '2',
        field: 'phone',
        value: '1',
        reason: 'too short',
        kind: 'field',
      },
      {
        entity: 'person',
        connection: 'sf',
        object: 'Lead',
        externalId: 'L1',
        field: '*',
        value: undefined,
        reason: 'ambiguous',
        kind: 'held',
      },
    ]);
    const census = await store.census?.('person', 'lifecycleStage');
    expect(Object.fromEntries(census?.values ?? [])).toEqual({ p1: 'lead', p2: null, p3: null });
    expect(
      census?.links.map((l) => `${l.unifiedId} ${l.connection}/${l.object}/${l.externalId}`).sort(),
    ).toEqual(['p1 hs/contacts/1', 'p1 sf/Lead/L1', 'p2 hs/contacts/2']);
    expect([...(census?.outOfStep ?? [])].sort()).toEqual(['hs/contacts/1', 'sf/Lead/L1']);
    const nested = await store.census?.('person', 'address.city');
    expect(nested?.values.get('p3')).toBe('Oslo');
  });

  it('keeps a round’s report with its summary, and finds the round by id', async () => {
    await store.startRun('r1', 'sf-hs');
    await store.finishRun('r1', 'succeeded', {
      counts: { 'person.quarantined': 0 },
      apiCalls: { sf: 3 },
      errors: {},
      durationMs: 5,
    });
    const report = {
      version: 1 as const,
      runId: 'r1',
      dryRun: false,
      durationMs: 5,
      objects: [],
      funnel: {
        stages: ['lead'],
        crms: [{ connection: 'sf', system: 'salesforce', before: {}, after: { lead: 1 } }],
        disagreements: { before: 0, after: 0, both: 0 },
      },
      api: [],
    };
    await store.saveRunReport?.('r1', report);
    const run = await store.findRun?.('r1');
    expect(run?.summary).toEqual({
      counts: { 'person.quarantined': 0 },
      apiCalls: { sf: 3 },
      errors: {},
      durationMs: 5,
      report,
    });
    expect(await store.findRun?.('nope')).toBeUndefined();
  });
});
