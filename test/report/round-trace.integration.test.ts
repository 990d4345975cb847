import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropTrace, readTrace, traceStart } from '../../src/report/round-trace.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { ENGINES, type TestDatabase } from '../support/databases.ts';

/**
 * The report's parts of a worker round, kept in the state store between its steps: the people as the store held
 * them when the round began are copied once, whichever step begins it again; what the steps counted is read back;
 * the rows go once the figures are kept.
 */
describe.each(ENGINES)('a worker round’s report parts on %s', (_engine, create) => {
  let db: TestDatabase;
  let store: Store;
  /** The trace reads and writes the state store alone. */
  let ctx: SyncContext;
  beforeEach(async () => {
    db = create();
    store = await openStore(db.url);
    ctx = { store } as unknown as SyncContext;
    await store.saveSnapshots([
      { unifiedId: 'p1', entity: 'person', data: { lifecycleStage: 'lead' } },
      { unifiedId: 'p2', entity: 'person', data: { lifecycleStage: 'customer' } },
    ]);
    await store.link([
      { entity: 'person', unifiedId: 'p1', connection: 'sf', object: 'Lead', externalId: 'L/1' },
      { entity: 'person', unifiedId: 'p1', connection: 'hs', object: 'contacts', externalId: '1' },
      { entity: 'person', unifiedId: 'p2', connection: 'hs', object: 'contacts', externalId: '2' },
    ]);
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('copies the people the round began with, once, however the store changes afterwards', async () => {
    await traceStart(ctx, 'run-1');
    await store.saveSnapshots([{ unifiedId: 'p1', entity: 'person', data: { lifecycleStage: 'customer' } }]);
    await traceStart(ctx, 'run-1');
    expect(
      await db.query(
        `select external_id, stage from report_before where run_id = 'run-1' order by external_id`,
      ),
    ).toEqual([
      { external_id: '1', stage: 'lead' },
      { external_id: '2', stage: 'customer' },
      { external_id: 'L/1', stage: 'lead' },
    ]);
  });

  it('reads back what the steps counted, and nothing for a round whose report was not begun', async () => {
    await traceStart(ctx, 'run-2');
    await store.saveRoundState('run-2', [
      { key: 'report/plan/person/0', body: { pulled: [['hs/contacts', { records: 1, pages: 1 }]] } },
      {
        key: 'report/record/person/0',
        body: {
          converted: [['sf', 'Lead', 2]],
          quarantined: [
            { entity: 'person', connection: 'hs', object: 'contacts', externalId: '2', field: '*' },
          ],
        },
      },
    ]);
    const trace = await readTrace(ctx, 'run-2');
    expect([...(trace?.observation.pulled ?? [])]).toEqual([['hs/contacts', { records: 1, pages: 1 }]]);
    expect(trace?.observation.converted.get('sf')?.byObject.get('Lead')).toBe(2);
    expect(trace?.observation.quarantined.size).toBe(1);
    expect(await readTrace(ctx, 'run-3')).toBeUndefined();
    await dropTrace(ctx, 'run-2');
    expect(await readTrace(ctx, 'run-2')).toBeUndefined();
    expect(await db.query(`select run_id from report_before`)).toEqual([]);
  });
});
