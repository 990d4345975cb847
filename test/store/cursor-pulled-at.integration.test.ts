import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type StoredPending, storeKeeper } from '../../src/sync/round-keeper.ts';
import { ENGINES } from '../support/databases.ts';
import { suiteStore } from '../support/suite-store.ts';

const cursor = { modifiedAt: '2026-11-25T11:59:30.000Z', id: '00Q000000000001AAA' };
const pulledAt = '2026-11-25T12:00:00.000Z';

describe.each(ENGINES)('when a cursor was pulled, on %s', (_engine, create) => {
  const store = suiteStore(create);

  it('keeps when the pull began with the cursor, and forgets it when a cursor without it replaces it', async () => {
    await store().saveCursor('sf', 'Lead', cursor);
    expect(await store().getCursor('sf', 'Lead')).toEqual(cursor);
    await store().saveCursor('sf', 'Lead', { ...cursor, pulledAt });
    expect(await store().getCursor('sf', 'Lead')).toEqual({ ...cursor, pulledAt });
    // A cursor moved back by hand (a replay) has no pull time: its next pull goes back from its newest change.
    await store().saveCursor('sf', 'Lead', { modifiedAt: '2026-11-20T00:00:00.000Z', id: '' });
    expect(await store().getCursor('sf', 'Lead')).toEqual({ modifiedAt: '2026-11-20T00:00:00.000Z', id: '' });
  });

  it("keeps it in a round's saved plan, until the round moves the cursors", async () => {
    const runId = randomUUID();
    const pending: StoredPending = {
      entity: 'person',
      plan: { snapshots: [] } as unknown as StoredPending['plan'],
      quarantined: [],
      known: [],
      read: [],
      cursors: [
        {
          connection: 'hs',
          object: 'contacts',
          cursor: { modifiedAt: cursor.modifiedAt, id: '501', pulledAt },
        },
      ],
      report: {
        read: {},
        changed: 0,
        echoes: 0,
        creates: {},
        updates: {},
        conversions: 0,
        conflicts: 0,
        quarantined: 0,
        samples: [],
        deletes: { unlinked: 0, propagated: 0, merged: 0 },
      },
      dealAccounts: [],
      batches: [],
    };
    const keeper = storeKeeper(store());
    await keeper.savePlan(runId, 'person', 0, pending, []);
    expect((await keeper.pending(runId, 'person', 0))?.cursors).toEqual(pending.cursors);
    await keeper.drop(runId);
  });
});
