import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { funnelFigures, NOT_IN_STEP } from '../../src/report/funnel.ts';
import {
  type IdentityLink,
  type NewQuarantineEntry,
  openStore,
  type ReadMark,
  type Store,
} from '../../src/store/index.ts';
import { ENGINES, type TestDatabase } from '../support/databases.ts';

const crms = [
  { connection: 'sf', system: 'salesforce' },
  { connection: 'hs', system: 'hubspot' },
];
const query = {
  entity: 'person' as const,
  field: 'lifecycleStage',
  pair: ['sf', 'hs'] as const,
  objects: [
    { connection: 'sf', object: 'Lead' },
    { connection: 'sf', object: 'Contact' },
    { connection: 'hs', object: 'contacts' },
  ],
};
const link = (unifiedId: string, connection: string, object: string, externalId: string): IdentityLink => ({
  entity: 'person',
  unifiedId,
  connection,
  object,
  externalId,
});
const read = (connection: string, object: string, externalId: string, stage: string | null): ReadMark => ({
  connection,
  object,
  externalId,
  entity: 'person',
  stage,
});
const held = (connection: string, object: string, externalId: string): NewQuarantineEntry => ({
  entity: 'person',
  connection,
  object,
  externalId,
  field: '*',
  value: undefined,
  reason: 'ambiguous',
  kind: 'held',
});

/**
 * What "in each CRM" means before and after a round, on hand-made store states: the state store copies the people
 * as the round begins, marks what it reads, and counts both sides with SQL.
 */
describe.each(ENGINES)('the lifecycle funnel on %s', (_engine, create) => {
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

  const people = (stages: Record<string, string | null>) =>
    store.saveSnapshots(
      Object.entries(stages).map(([unifiedId, lifecycleStage]) => ({
        unifiedId,
        entity: 'person',
        data: { lifecycleStage },
      })),
    );
  /** p1 and p2, each with a Lead in Salesforce (L1, L2) and a contact in HubSpot (1, 2). */
  const linkedInBoth = () =>
    store.link([
      link('p1', 'sf', 'Lead', 'L1'),
      link('p1', 'hs', 'contacts', '1'),
      link('p2', 'sf', 'Lead', 'L2'),
      link('p2', 'hs', 'contacts', '2'),
    ]);
  /** Begins a round, lets `during` change the store as the round would, and counts the funnel. */
  const round = async (during: (runId: string) => Promise<void>, order: string[]) => {
    const rows = store.report;
    if (rows === undefined) throw new Error('the store keeps no report rows');
    await rows.beginReport('run', 'person', 'lifecycleStage');
    await during('run');
    const { before, after } = await rows.reportFunnel('run', query);
    return funnelFigures({ crms, before, after, order });
  };

  it('counts before what a CRM held when read, else what was last synced, and leaves out people new to it', async () => {
    await people({ p1: 'lead', p2: 'mql' });
    await linkedInBoth();
    // p1 changed in HubSpot to sql; p3 is new in HubSpot and created in Salesforce.
    const f = await round(
      async (runId) => {
        await store.report?.markRead(runId, [
          read('hs', 'contacts', '1', 'sql'),
          read('hs', 'contacts', '3', 'lead'),
        ]);
        await people({ p1: 'sql', p3: 'lead' });
        await store.link([link('p3', 'hs', 'contacts', '3'), link('p3', 'sf', 'Lead', 'L3')]);
      },
      ['lead', 'mql', 'sql'],
    );
    expect(f.stages).toEqual(['lead', 'mql', 'sql']);
    expect(f.crms).toEqual([
      {
        connection: 'sf',
        system: 'salesforce',
        before: { lead: 1, mql: 1 },
        after: { sql: 1, mql: 1, lead: 1 },
      },
      {
        connection: 'hs',
        system: 'hubspot',
        before: { sql: 1, mql: 1, lead: 1 },
        after: { sql: 1, mql: 1, lead: 1 },
      },
    ]);
    expect(f.disagreements).toEqual({ before: 1, after: 0, both: 3 });
  });

  it('counts a record held or with an open stage issue as not in step, or at the stage read from it', async () => {
    await people({ p1: 'lead', p2: 'lead' });
    await linkedInBoth();
    const f = await round(
      async (runId) => {
        await store.report?.markRead(runId, [read('hs', 'contacts', '1', 'customer')]);
        await people({ p1: 'sql', p2: 'sql' });
        await store.quarantine([
          held('hs', 'contacts', '1'),
          { ...held('hs', 'contacts', '2'), field: 'lifecycleStage', kind: 'field' },
        ]);
      },
      ['lead', 'sql', 'customer'],
    );
    expect(f.crms[1]?.after).toEqual({ customer: 1, [NOT_IN_STEP]: 1 });
    expect(f.stages).toEqual(['lead', 'sql', 'customer', NOT_IN_STEP]);
    expect(f.disagreements.after).toBe(2);
  });

  it('counts a record not in step as the round began as not in step before, unless the round read it', async () => {
    await people({ p1: 'lead', p2: 'lead' });
    await store.link([link('p1', 'hs', 'contacts', '1'), link('p2', 'hs', 'contacts', '2')]);
    await store.quarantine([held('hs', 'contacts', '1'), held('hs', 'contacts', '2')]);
    const f = await round(
      async (runId) => {
        await store.report?.markRead(runId, [read('hs', 'contacts', '2', 'mql')]);
      },
      ['lead', 'mql'],
    );
    expect(f.crms[1]?.before).toEqual({ mql: 1, [NOT_IN_STEP]: 1 });
  });

  it('counts a person with a converted Lead and its Contact once, at the stage of the record read', async () => {
    await people({ p1: 'sql' });
    await store.link([link('p1', 'sf', 'Lead', 'L1'), link('p1', 'sf', 'Contact', 'C1')]);
    const f = await round(async (runId) => {
      await store.report?.markRead(runId, [read('sf', 'Contact', 'C1', 'opportunity')]);
      await people({ p1: 'opportunity' });
    }, []);
    expect(f.crms[0]?.before).toEqual({ opportunity: 1 });
    expect(f.crms[0]?.after).toEqual({ opportunity: 1 });
    expect(f.stages).toEqual(['opportunity']);
  });

  it('counts such a person at its Contact when both records or neither were read', async () => {
    await people({ p1: 'sql', p2: 'sql' });
    await store.link([
      link('p1', 'sf', 'Lead', 'L1'),
      link('p1', 'sf', 'Contact', 'C1'),
      link('p2', 'sf', 'Lead', 'L2'),
      link('p2', 'sf', 'Contact', 'C2'),
    ]);
    // The converted Lead L1 is held; its Contact is in step. Both of p2's records were read.
    await store.quarantine([held('sf', 'Lead', 'L1')]);
    const f = await round(async (runId) => {
      await store.report?.markRead(runId, [
        read('sf', 'Contact', 'C2', 'customer'),
        read('sf', 'Lead', 'L2', 'sql'),
      ]);
    }, []);
    expect(f.crms[0]?.before).toEqual({ sql: 1, customer: 1 });
    expect(f.crms[0]?.after).toEqual({ sql: 2 });
  });

  it('finds a record the round moved to another person, however long ago it was first linked', async () => {
    await people({ p1: 'lead', p2: 'mql' });
    await store.link([link('p1', 'hs', 'contacts', '1'), link('p2', 'hs', 'contacts', '2')]);
    await db.query(`update identities set linked_at = '2020-01-01T00:00:00.000Z'`);
    // The round reads contact 1 at sql and finds it is p2's: a merge.
    const f = await round(
      async (runId) => {
        await store.report?.markRead(runId, [read('hs', 'contacts', '1', 'sql')]);
        await store.link([link('p2', 'hs', 'contacts', '1')]);
        await people({ p2: 'sql' });
      },
      ['lead', 'mql', 'sql'],
    );
    // Before: p1 held contact 1 as it began, p2 is counted at the record read: both at sql.
    expect(f.crms[1]?.before).toEqual({ sql: 2 });
    expect(f.crms[1]?.after).toEqual({ sql: 1 });
  });

  it('puts people without a stage last, and stages the config does not list before them', async () => {
    await people({ p1: null, p2: 'webinar', p3: 'lead' });
    const f = await round(async () => {
      await store.link([
        link('p1', 'hs', 'contacts', '1'),
        link('p2', 'hs', 'contacts', '2'),
        link('p3', 'hs', 'contacts', '3'),
      ]);
    }, ['lead']);
    expect(f.stages).toEqual(['lead', 'webinar', 'none']);
    expect(f.crms[1]?.before).toEqual({});
    expect(f.crms[1]?.after).toEqual({ lead: 1, webinar: 1, none: 1 });
  });
});
