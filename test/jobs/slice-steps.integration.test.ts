import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SLICE_QUEUE } from '../../jobs/names.ts';
import type { SliceJobData } from '../../jobs/payloads.ts';
import { requestSync } from '../../jobs/queues.ts';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { SeedGenerator } from '../../sandboxes/salesforce/index.ts';
import type { Store } from '../../src/store/index.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { roundKeys } from '../../src/sync/round-keeper.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from './redis-prefix.ts';
import { memoryLogger } from './worker-kit.ts';

const LEADS = 300;
const CONTACTS = 60;
/** Slices of about 100 people: the window of 360 is planned in four. */
const SLICE = 100;

/** The store, whose reads of the second person slice's list fail `times` times (a database gone for a while). */
function failingSliceReads(real: Store, times: number): Store {
  let left = times;
  const key = roundKeys.slice('person', 1);
  return new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'roundStateAt')
        return async (runId: string, keys: readonly string[]) => {
          if (keys.includes(key) && left > 0) {
            left--;
            throw new Error('connection terminated unexpectedly');
          }
          return target.roundStateAt(runId, keys);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The store, counting the reads of push outcomes: by slice (all of them) and by batch. */
function countingOutcomeReads(real: Store) {
  const reads = { whole: 0, byBatch: 0 };
  const store = new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'roundState')
        return (runId: string, prefix: string) => {
          if (prefix.startsWith('o/')) reads.whole++;
          return target.roundState(runId, prefix);
        };
      if (property === 'roundStateAt')
        return (runId: string, keys: readonly string[]) => {
          if (keys.some((k) => k.startsWith('o/'))) reads.byBatch++;
          return target.roundStateAt(runId, keys);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, reads };
}

describe("a window's slices planned and recorded as slice jobs", () => {
  let h: SyncHarness;
  let worker: RunningWorker | undefined;
  let base: SyncContext;
  const prefix = testPrefix();
  beforeEach(async () => {
    h = await startHarness(sqliteDatabase());
    h.sf.seed('Lead', new SeedGenerator(23).leads(LEADS));
    h.hs.seed(
      'contacts',
      Array.from({ length: CONTACTS }, (_, i) => ({
        email: `slice${i}@example.com`,
        firstname: 'S',
        lastname: `${i}`,
      })),
    );
    const ctx = await h.context();
    // A schedule that never fires during the test: the only round is the one it asks for.
    const sync = { ...ctx.config.sync, slice: SLICE, schedule: { cron: '0 0 1 1 *' } };
    base = { ...ctx, config: { ...ctx.config, sync } };
  });
  afterEach(async () => {
    await worker?.stop();
    await h.close();
    await dropPrefix(prefix);
  });

  const round = async (ctx: SyncContext) => {
    const { logger, lines } = memoryLogger();
    worker = await startWorker({
      runtime: { ctx, close: async () => {} },
      redisUrl: REDIS_URL,
      prefix,
      logger,
    });
    const [a, b] = ctx.config.sync.pair as [string, string];
    await requestSync(worker.queue, { pair: `${a}-${b}`, connections: [a, b], trigger: 'manual' });
    await until(
      async () => (await h.store.listRuns(5)).some((r) => r.status !== 'running'),
      60_000,
      'the round',
    );
    const look = new Queue<SliceJobData>(SLICE_QUEUE, { connection: { host: '127.0.0.1' }, prefix });
    const [done, failed] = [await look.getCompleted(), await look.getFailed()];
    await look.close();
    const steps = (jobs: typeof done) =>
      jobs
        .filter((j) => j.data.entity === 'person')
        .map((j) => `${j.data.step} ${j.data.slice}`)
        .sort();
    return { runs: await h.store.listRuns(5), done: steps(done), failed, lines };
  };

  /** Every person in both CRMs, once. */
  const expectEveryoneOnce = () => {
    const emails = h.hs.store.all('contacts').map((c) => c.properties.email);
    expect(emails).toHaveLength(LEADS + CONTACTS);
    expect(new Set(emails).size).toBe(LEADS + CONTACTS);
    expect(h.sf.count('Lead')).toBe(LEADS + CONTACTS);
    expect(new Set([...h.sf.store.all('Lead')].map((l) => l.Email)).size).toBe(LEADS + CONTACTS);
  };

  it('plans the slices after the first and records every slice as jobs, and writes every person once', async () => {
    const counting = countingOutcomeReads(base.store);
    const { runs, done, failed, lines } = await round({ ...base, store: counting.store });
    expect(runs.map((r) => r.status)).toEqual(['succeeded']);
    expect(done).toEqual(['plan 1', 'plan 2', 'plan 3', 'record 0', 'record 1', 'record 2', 'record 3']);
    expect(failed).toEqual([]);
    expectEveryoneOnce();
    expect(await h.store.getCursor('hs', 'contacts')).toBeDefined();
    // Only the record steps read a slice's outcomes whole (twice: to record, and for the round report), one per
    // slice of each entity: the account and deal windows are a slice each. The late batches (the Leads given the
    // id of their new HubSpot contact) read the outcomes of their slice's first batches, once per slice.
    const recorded = lines.filter((l) => l.includes('"entity recorded"')).length;
    expect(recorded).toBe(6);
    expect(counting.reads).toEqual({ whole: 2 * recorded, byBatch: 4 });
  }, 90_000);

  it("plans a slice itself when the slice's plan job failed every attempt, and the round ends the same", async () => {
    const { runs, done, failed, lines } = await round({
      ...base,
      store: failingSliceReads(base.store, 3),
    });
    expect(runs.map((r) => r.status)).toEqual(['succeeded']);
    expect(failed.map((j) => [j.data.step, j.data.slice, j.attemptsMade, j.failedReason])).toEqual([
      ['plan', 1, 3, 'internal: connection terminated unexpectedly'],
    ]);
    expect(done).toEqual(['plan 2', 'plan 3', 'record 0', 'record 1', 'record 2', 'record 3']);
    expect(lines.filter((l) => l.includes('"slice step failed"'))).toHaveLength(3);
    expectEveryoneOnce();
  }, 90_000);
});
