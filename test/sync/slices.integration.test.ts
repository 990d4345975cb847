import { afterEach, describe, expect, it } from 'vitest';
import type { EntityName } from '../../src/model/index.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { runSync, type SyncReport } from '../../src/sync/run-sync.ts';
import { differences, endState, recordCounts, seedScenario } from '../faults/scenario.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

/**
 * A pull window larger than `sync.slice` is staged and planned a slice at a time. Slicing must change nothing in
 * what is matched, merged, classified, converted or written: the same scenario synced with the window whole and in
 * slices of a few dozen records ends with both CRMs equal field by field, round after round, with the same counts.
 */
describe.each(ENGINES)('a round planned in slices, state on %s', (_engine, database) => {
  const harnesses: SyncHarness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });

  /** A world of the scenario's data, synced with slices of `slice` records; counts the slices planned. */
  async function world(slice: number) {
    const h = await startHarness(database());
    harnesses.push(h);
    seedScenario(h, 300);
    const planned: Record<string, number> = {};
    const round = async (): Promise<SyncReport> => {
      const ctx = await h.context();
      const sliced: SyncContext = {
        ...ctx,
        config: { ...ctx.config, sync: { ...ctx.config.sync, slice } },
        onProgress: (event) => {
          if (event.kind === 'planned') planned[event.entity] = (planned[event.entity] ?? 0) + 1;
        },
      };
      return runSync(sliced);
    };
    return { h, planned, round };
  }

  /** What a round did, per entity, in the counts a user reads. */
  const counts = (report: SyncReport) =>
    Object.fromEntries(
      Object.entries(report.entities).map(([entity, r]) => [
        entity,
        {
          read: r.read,
          changed: r.changed,
          echoes: r.echoes,
          creates: r.creates,
          updates: r.updates,
          conversions: r.conversions,
          quarantined: r.quarantined,
        },
      ]),
    );

  /** The same changes in both worlds, found by what identifies each record (not by id). */
  function change(h: SyncHarness): void {
    const by = <T>(items: readonly T[], key: (t: T) => string) =>
      [...items].sort((a, b) => key(a).localeCompare(key(b)));
    const leads = by([...h.sf.store.all('Lead')], (r) => String(r.Email));
    h.sf.touch(
      'Lead',
      leads.slice(0, 25).map((r) => String(r.Id)),
      { fields: { Title: 'Director of Operations' } },
    );
    const deals = by([...h.sf.store.all('Opportunity')], (r) => String(r.Name));
    h.sf.touch(
      'Opportunity',
      deals.slice(0, 4).map((r) => String(r.Id)),
      { fields: { StageName: 'Closed Won' } },
    );
    // Other people than the Leads changed: a person changed on both sides within a millisecond is a tie, which
    // the clock decides, not the slicing.
    const contacts = by(h.hs.store.all('contacts'), (c) => String(c.properties.email));
    for (const c of contacts.slice(-20))
      h.hs.touch('contacts', [c.id], { fields: { jobtitle: `Head of ${c.properties.lastname ?? 'Sales'}` } });
  }

  it('ends with both CRMs as planning the window whole does, round after round', async () => {
    const whole = await world(100_000);
    const sliced = await world(37);
    for (const step of ['first sync', 'the echoes', 'after changes on both sides'] as const) {
      if (step === 'after changes on both sides') {
        change(whole.h);
        change(sliced.h);
      }
      const [a, b] = [await whole.round(), await sliced.round()];
      expect(counts(b), step).toEqual(counts(a));
      expect(differences(endState(whole.h), endState(sliced.h)), step).toEqual([]);
    }
    // The sliced world did plan in slices, and the whole one did not.
    for (const entity of ['account', 'opportunity', 'person'] as EntityName[])
      expect(whole.planned[entity]).toBe(3);
    expect(sliced.planned.person).toBeGreaterThan(3 * 5);
    expect(recordCounts(sliced.h)).toEqual(recordCounts(whole.h));
  });
});
