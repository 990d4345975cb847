import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTrace, traceStart } from '../../src/report/round-trace.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { ENGINES, type TestDatabase } from '../support/databases.ts';

/**
 * The report's parts of a worker round, kept in the state store between its steps: the people as the store held
 * them when the round began, read back as the census they were taken from, also when an earlier version saved them.
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

  const sorted = <T extends { externalId: string }>(links: readonly T[]) =>
    [...links].sort((a, b) => a.externalId.localeCompare(b.externalId));

  it('reads back the census the round began with, once, however the store changes afterwards', async () => {
    const census = await store.census?.('person', 'lifecycleStage');
    await traceStart(ctx, 'run-1');
    await store.saveSnapshots([{ unifiedId: 'p1', entity: 'person', data: { lifecycleStage: 'customer' } }]);
    await traceStart(ctx, 'run-1');
    const trace = await readTrace(ctx, 'run-1');
    expect(trace?.before.values).toEqual(census?.values);
    expect(sorted(trace?.before.links ?? [])).toEqual(sorted(census?.links ?? []));
    expect(trace?.before.values.get('p1')).toBe('lead');
  });

  it('reads parts an earlier version saved: a link as an object, a record read as its entity and key', async () => {
    const key = { connection: 'hs', object: 'contacts', externalId: '1' };
    await store.saveRoundState('run-2', [
      {
        key: 'report/before',
        body: { values: [['p1', 'lead']], links: [{ unifiedId: 'p1', ...key }], outOfStep: [] },
      },
      {
        key: 'report/plan/person/0',
        body: {
          pulled: [['hs/contacts', { records: 1, pages: 1 }]],
          read: [['hs/contacts/1', { entity: 'person', key }]],
          stagesRead: [['hs/contacts/1', 'lead']],
        },
      },
    ]);
    const trace = await readTrace(ctx, 'run-2');
    expect(trace?.before.links).toEqual([{ unifiedId: 'p1', ...key }]);
    expect([...(trace?.observation.read ?? [])]).toEqual([['hs/contacts/1', 'person']]);
    expect(trace?.observation.stagesRead.get('hs/contacts/1')).toBe('lead');
  });
});
