import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../sandboxes/demo-data.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

/** A short overlap window, so that rounds a schedule's interval apart can be run a few seconds apart. */
const OVERLAP_MS = 5000;

/** What one round did: API calls per system, records read, records written. */
interface Round {
  readonly sf: number;
  readonly hs: number;
  readonly read: number;
  readonly writes: number;
}

describe('the overlap window, measured from when the last pull began in the CRM clock', () => {
  let h: SyncHarness;
  let ctx: SyncContext;
  /** A round, as a worker runs them (one context, connectors kept between rounds). */
  const round = async (): Promise<Round> => {
    const before = { sf: h.sf.calls(), hs: h.hs.calls() };
    const report = await runSync(ctx);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    const entities = Object.values(report.entities);
    return {
      sf: h.sf.calls() - before.sf,
      hs: h.hs.calls() - before.hs,
      read: entities.reduce((n, r) => n + sum(r.read), 0),
      writes: entities.reduce((n, r) => n + sum(r.creates) + sum(r.updates) + r.conversions, 0),
    };
  };
  /** Waits past the overlap window (and the second a `Date` header drops), as a schedule's interval does. */
  const later = () => sleep(OVERLAP_MS + 1500);

  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
    seedDemo(h.sf, h.hs, 300);
    const base = await h.context();
    ctx = {
      ...base,
      config: { ...base.config, sync: { ...base.config.sync, overlap: `${OVERLAP_MS / 1000}s` } },
    };
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it("reads crm-bridge's own writes back once, and then makes one call per object while nothing changes", async () => {
    const first = await round();
    expect(first.writes).toBeGreaterThan(0);
    // The records the conversions made cross over; then every write comes back once as crm-bridge's own.
    const rounds: Round[] = [];
    do {
      await later();
      rounds.push(await round());
    } while ((rounds.at(-1) as Round).writes > 0 && rounds.length < 4);
    const echo = rounds.at(-1) as Round;
    expect(echo).toMatchObject({ writes: 0 });
    expect(echo.read).toBeGreaterThan(0);
    // Right after the echo round: nothing read again, one query per object.
    const idle = await round();
    expect(idle).toEqual({ sf: 4, hs: 3, read: 0, writes: 0 });
    expect(await round()).toEqual({ sf: 4, hs: 3, read: 0, writes: 0 });
  }, 120_000);

  it('still reads a change committed after a pull began, stamped before the last change that pull read', async () => {
    const twins: { hs: string; sf: { object: string; id: string } }[] = [];
    for (const contact of h.hs.store.all('contacts')) {
      const key = { connection: 'hs', object: 'contacts', externalId: contact.id };
      const link = [...(await h.store.findLinks([key])).values()][0];
      if (link === undefined) continue;
      const sf = (await h.store.linksOf([link.unifiedId])).find((l) => l.connection === 'sf');
      if (sf !== undefined) twins.push({ hs: contact.id, sf: { object: sf.object, id: sf.externalId } });
      if (twins.length === 2) break;
    }
    const [a, b] = twins as [(typeof twins)[0], (typeof twins)[0]];
    const changedAt = Date.now();
    h.hs.touch('contacts', [a.hs], { fields: { hs_analytics_num_page_views: '1111' }, at: changedAt });
    const pulled = await round();
    expect(pulled.read).toBe(1);
    expect(h.sf.read(a.sf.object, a.sf.id)?.Page_Views__c).toBe(1111);
    // B's change was made before A's but committed only after that round's pull began: its time is older than
    // the cursor, and within the overlap window before the pull.
    h.hs.touch('contacts', [b.hs], { fields: { hs_analytics_num_page_views: '2222' }, at: changedAt - 500 });
    await round();
    expect(h.sf.read(b.sf.object, b.sf.id)?.Page_Views__c).toBe(2222);
  }, 60_000);
});
