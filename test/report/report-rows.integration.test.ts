import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import type { Tables } from '../../src/store/tables.ts';
import { ENGINES, type TestDatabase } from '../support/databases.ts';

/** The round report's rows in the state store, and the report kept in the run log. */
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

  it('copies each person’s stage as last synced, its links and the records not in step, once per round', async () => {
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
    const rows = store.report;
    if (rows === undefined) throw new Error('the store keeps no report rows');
    await rows.beginReport('run', 'person', 'lifecycleStage');
    await rows.beginReport('nested', 'person', 'address.city');
    // Begun again (a step redone), it keeps what it copied first.
    await store.saveSnapshots([{ unifiedId: 'p1', entity: 'person', data: { lifecycleStage: 'customer' } }]);
    await rows.beginReport('run', 'person', 'lifecycleStage');
    expect(await rows.reportBegun('run')).toBe(true);
    expect(await rows.reportBegun('other')).toBe(false);
    const copied = await db.query<Tables['report_before']>(
      `select connection, object, external_id, unified_id, stage, out_of_step from report_before where run_id = 'run' order by connection, object, external_id`,
    );
    expect(
      copied.map((r) => [
        `${r.connection}/${r.object}/${r.external_id}`,
        r.unified_id,
        r.stage,
        Number(r.out_of_step),
      ]),
    ).toEqual([
      ['hs/contacts/1', 'p1', 'lead', 1],
      ['hs/contacts/2', 'p2', null, 0],
      ['sf/Lead/L1', 'p1', 'lead', 1],
    ]);
    const nested = await db.query<{ stage: string | null }>(
      `select distinct stage from report_before where run_id = 'nested' and unified_id = 'p3'`,
    );
    expect(nested).toEqual([]);
    await store.link([
      { entity: 'person', unifiedId: 'p3', connection: 'hs', object: 'contacts', externalId: '3' },
    ]);
    await rows.beginReport('nested-2', 'person', 'address.city');
    expect(
      await db.query(`select stage from report_before where run_id = 'nested-2' and unified_id = 'p3'`),
    ).toEqual([{ stage: 'Oslo' }]);
  });

  it('counts the records read per object, and those whose unified record the round acted on', async () => {
    await store.link([
      { entity: 'person', unifiedId: 'p1', connection: 'sf', object: 'Lead', externalId: 'L1' },
      { entity: 'person', unifiedId: 'p1', connection: 'hs', object: 'contacts', externalId: '1' },
      { entity: 'person', unifiedId: 'p2', connection: 'hs', object: 'contacts', externalId: '2' },
      { entity: 'account', unifiedId: 'a1', connection: 'hs', object: 'companies', externalId: '9' },
    ]);
    const rows = store.report;
    if (rows === undefined) throw new Error('the store keeps no report rows');
    await rows.beginReport('run', 'person', 'lifecycleStage');
    const key = (connection: string, object: string, externalId: string) => ({
      connection,
      object,
      externalId,
    });
    await rows.markRead('run', [
      { ...key('hs', 'contacts', '1'), entity: 'person', stage: 'lead' },
      { ...key('hs', 'contacts', '2'), entity: 'person', stage: null },
      { ...key('hs', 'contacts', '2'), entity: 'person', stage: 'mql' },
      { ...key('hs', 'contacts', '3'), entity: 'person', stage: 'lead' },
      { ...key('hs', 'companies', '9'), entity: 'account' },
    ]);
    // Written to p1's Lead (so p1's contact read is not unchanged), the company updated, a new record held.
    await rows.markTouched('run', [
      key('sf', 'Lead', 'L1'),
      key('hs', 'companies', '9'),
      key('hs', 'contacts', '3'),
    ]);
    await rows.markTouched('run', [key('sf', 'Lead', 'L1')]);
    const counts = (await rows.reportReads('run')).sort((a, b) => a.object.localeCompare(b.object));
    expect(counts).toEqual([
      { entity: 'account', connection: 'hs', object: 'companies', read: 1, touched: 1 },
      { entity: 'person', connection: 'hs', object: 'contacts', read: 3, touched: 2 },
    ]);
    // A stage read again is the last one read.
    expect(
      await db.query(`select stage from report_records where run_id = 'run' and external_id = '2'`),
    ).toEqual([{ stage: 'mql' }]);
    await rows.beginReport('other', 'person', 'lifecycleStage');
    await rows.dropReport('run');
    for (const table of ['report_runs', 'report_before', 'report_records'])
      expect(await db.query(`select run_id from ${table} where run_id = 'run'`)).toEqual([]);
    expect(await rows.reportBegun('other')).toBe(true);
    // Rounds begun before the stale bound go with the next drop.
    await rows.dropReport('none', new Date(Date.now() + 1000));
    expect(await rows.reportBegun('other')).toBe(false);
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
