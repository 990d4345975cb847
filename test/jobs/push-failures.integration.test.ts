import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PUSH_QUEUES, SLICE_QUEUE } from '../../jobs/names.ts';
import type { SliceJobData } from '../../jobs/payloads.ts';
import { requestSync } from '../../jobs/queues.ts';
import { readStatus } from '../../jobs/status.ts';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { SeedGenerator } from '../../sandboxes/salesforce/index.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { Connector } from '../../src/connector/types.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from './redis-prefix.ts';
import { memoryLogger } from './worker-kit.ts';

const LEADS = 250; // three HubSpot batches of at most 100
const CONTACTS = 40;

/** HubSpot's connector, whose pushes fail with `failure` while it is set (every other call is the real one's). */
function failingPushes(real: Connector, control: { failure: ConnectorFailure | undefined }): Connector {
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property === 'push' && control.failure !== undefined) {
        const failure = control.failure;
        return async () => {
          throw failure;
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('push batches that fail', () => {
  let h: SyncHarness;
  let worker: RunningWorker | undefined;
  let ctx: SyncContext;
  const control: { failure: ConnectorFailure | undefined } = { failure: undefined };
  const prefix = testPrefix();
  beforeEach(async () => {
    h = await startHarness(sqliteDatabase());
    h.sf.seed('Lead', new SeedGenerator(21).leads(LEADS));
    h.hs.seed(
      'contacts',
      Array.from({ length: CONTACTS }, (_, i) => ({
        email: `fail${i}@example.com`,
        firstname: 'F',
        lastname: `${i}`,
      })),
    );
    const base = await h.context();
    ctx = {
      ...base,
      connectors: { ...base.connectors, hs: failingPushes(base.connectors.hs as Connector, control) },
    };
  });
  afterEach(async () => {
    await worker?.stop();
    await h.close();
    await dropPrefix(prefix);
  });

  let log = memoryLogger();
  const start = async (slice?: number) => {
    log = memoryLogger();
    const runtime =
      slice === undefined ? ctx : { ...ctx, config: { ...ctx.config, sync: { ...ctx.config.sync, slice } } };
    worker = await startWorker({
      runtime: { ctx: runtime, close: async () => {} },
      redisUrl: REDIS_URL,
      prefix,
      logger: log.logger,
      pushRetry: { attempts: 2, delayMs: 50 },
    });
    const [a, b] = ctx.config.sync.pair as [string, string];
    await requestSync(worker.queue, { pair: `${a}-${b}`, connections: [a, b], trigger: 'manual' });
  };

  /** HubSpot down through every attempt of every batch: the round fails, no cursor moves. */
  const failsWhileHubSpotIsDown = async (slice?: number) => {
    control.failure = new ConnectorFailure({ kind: 'unavailable', message: 'HubSpot answered 503' });
    await start(slice);
    await until(
      async () => (await h.store.listRuns(5)).some((r) => r.status === 'failed'),
      30_000,
      'the round to fail',
    );
    expect(await h.store.getCursor('sf', 'Lead')).toBeUndefined();
    expect(await h.store.getCursor('hs', 'contacts')).toBeUndefined();
    const [failed] = await h.store.listRuns(1);
    expect(failed?.summary?.errors).toEqual({ unavailable: 1 });
  };

  it('refused for good: quarantines the batch with the reason, keeps it as a dead letter, and the round goes on', async () => {
    control.failure = new ConnectorFailure({ kind: 'auth', message: 'the private app token was revoked' });
    await start();
    await until(
      async () => (await h.store.listRuns(5)).some((r) => r.status === 'succeeded'),
      30_000,
      'the round',
    );
    const quarantined = await h.store.listQuarantine({ limit: 1000 });
    const reasons: Record<string, number> = {};
    for (const q of quarantined) {
      const key = `${q.connection}/${q.object}: ${q.reason}`;
      reasons[key] = (reasons[key] ?? 0) + 1;
    }
    // The Leads HubSpot was to get, reported against the Leads; the HubSpot contacts it was to update (the policy's
    // fields), against themselves.
    expect(reasons).toEqual({
      'sf/Lead: creating hs contacts: auth: the private app token was revoked': LEADS,
      'hs/contacts: auth: the private app token was revoked': CONTACTS,
    });
    const look = new Queue(PUSH_QUEUES.hubspot, { connection: { host: '127.0.0.1' }, prefix });
    const dead = await look.getFailed();
    await look.close();
    // crm-bridge status lists them with the queue they failed in.
    const running = worker as RunningWorker;
    const status = await readStatus(running.queue, h.store, { children: running.children });
    // 290 writes to HubSpot contacts, in batches of 100: those to contacts whose new Salesforce Lead's id they are
    // to keep go in batches of their own, after the creates.
    expect(dead.length).toBeGreaterThanOrEqual(3);
    expect(dead.length).toBeLessThanOrEqual(4);
    expect(status.deadLetters.map((d) => d.queue)).toEqual(dead.map(() => PUSH_QUEUES.hubspot));
    expect(status.queues[PUSH_QUEUES.hubspot]).toMatchObject({ failed: dead.length });
    expect(dead.every((j) => j.failedReason === 'auth: the private app token was revoked')).toBe(true);
    // The other direction went through, and the round's cursors moved: the refused records wait for a replay.
    expect(h.sf.count('Lead')).toBe(LEADS + CONTACTS);
    expect(h.hs.count('contacts')).toBe(CONTACTS);
    expect(await h.store.getCursor('hs', 'contacts')).toBeDefined();
  });

  it('down through every attempt: fails the round without moving a cursor, and the next round writes everything once', async () => {
    await failsWhileHubSpotIsDown();

    // HubSpot is back: the sync job's next attempt starts a new round from the same cursors.
    control.failure = undefined;
    await until(
      async () => (await h.store.listRuns(5)).some((r) => r.status === 'succeeded'),
      30_000,
      'a round to succeed',
    );
    const emails = h.hs.store.all('contacts').map((c) => c.properties.email);
    expect(emails).toHaveLength(LEADS + CONTACTS);
    expect(new Set(emails).size).toBe(LEADS + CONTACTS);
    expect(new Set([...h.sf.store.all('Lead')].map((l) => l.Email)).size).toBe(LEADS + CONTACTS);
    expect(h.sf.count('Lead')).toBe(LEADS + CONTACTS);
  }, 40_000);

  it('down through every attempt, in a window planned in slices: the slices whose batches did not finish fail the round, which says why', async () => {
    // Slices of about 100 people: the person window is planned and recorded in three, as slice jobs.
    await failsWhileHubSpotIsDown(100);
    const reasons = log.lines
      .map((line) => JSON.parse(line) as { msg: string; reason?: string })
      .filter((l) => l.msg === 'round failed')
      .map((l) => l.reason);
    expect(reasons[0]).toMatch(
      /^unavailable: \d+ of \d+ person push batches did not finish \(unavailable: HubSpot answered 503\)$/,
    );
    // Each slice's record step failed once, without a retry: its batches had had every attempt.
    const look = new Queue<SliceJobData>(SLICE_QUEUE, { connection: { host: '127.0.0.1' }, prefix });
    const records = (await look.getFailed()).filter((j) => j.data.step === 'record');
    await look.close();
    expect(records.length).toBeGreaterThan(0);
    expect(
      records.every((j) => j.attemptsMade === 1 && /push batches did not finish$/.test(j.failedReason)),
    ).toBe(true);
  }, 40_000);
});
