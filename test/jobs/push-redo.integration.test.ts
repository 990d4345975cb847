import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallLedger } from '../../jobs/call-ledger.ts';
import { workerMetrics } from '../../jobs/metrics.ts';
import { PairLocks } from '../../jobs/pair-lock.ts';
import type { PushJobData } from '../../jobs/payloads.ts';
import { pushProcessor } from '../../jobs/push-processor.ts';
import { scrubber } from '../../jobs/secrets.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { pushPlan, splitPlan } from '../../src/sync/push.ts';
import { planStep } from '../../src/sync/round.ts';
import { memoryKeeper, roundKeys } from '../../src/sync/round-keeper.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';
import { dropPrefix, REDIS_URL, testPrefix } from './redis-prefix.ts';
import { memoryLogger } from './worker-kit.ts';

const PEOPLE = 150;
const RUN = '5b0f5a52-3c1e-4c55-9a8e-2f1d7e0c9b11';

/** A job as BullMQ hands it to a processor: only what the push processor reads. */
const jobOf = (data: PushJobData) =>
  ({ data, id: `push-${RUN}-person-0-0`, queueName: 'push-salesforce', attemptsMade: 0 }) as unknown as Job;

describe('a push batch done again after its worker died mid-batch', () => {
  let h: SyncHarness;
  let ctx: SyncContext;
  let redis: Redis;
  const prefix = testPrefix();
  beforeEach(async () => {
    h = await startHarness(sqliteDatabase());
    h.hs.seed(
      'contacts',
      Array.from({ length: PEOPLE }, (_, i) => ({
        email: `redo${i}@example.com`,
        firstname: 'Re',
        lastname: `Do ${i}`,
      })),
    );
    ctx = await h.context();
    redis = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    redis.disconnect();
    await h.close();
    await dropPrefix(prefix);
  });

  it('finds the records the first attempt created instead of creating them twice', async () => {
    // The round planned its people: HubSpot's contacts are new to Salesforce, known new, so created at once.
    const planned = await planStep(ctx, 'person', { accounts: new Set(), people: new Set() }, false, {
      runId: RUN,
      staging: memoryKeeper().staging,
      slice: 0,
    });
    const [batch, ...others] = splitPlan(planned.plan, () => 200).filter(
      (b) => b.writes[0]?.connection === 'sf',
    );
    expect(others).toEqual([]);
    expect(batch?.writes.every((w) => w.create && w.write.expectNew === true)).toBe(true);
    await ctx.store.saveRoundState(RUN, [{ key: roundKeys.batch('person', 0, 0), body: batch }]);

    // The first attempt marked the batch started and wrote it, then its process died before saving the outcome.
    await ctx.store.saveRoundState(RUN, [{ key: roundKeys.started('person', 0, 0), body: true }]);
    await pushPlan(ctx, 'person', batch as NonNullable<typeof batch>);
    expect(h.sf.count('Lead')).toBe(PEOPLE);

    // BullMQ hands the stalled batch to another worker.
    const process = pushProcessor({
      ctx,
      locks: new PairLocks(redis, prefix),
      roundLockMs: 60_000,
      ledger: new CallLedger(ctx),
      logger: memoryLogger().logger,
      metrics: workerMetrics(ctx.store, ctx.connectors),
      scrub: scrubber([]),
    });
    const result = await process(jobOf({ pair: 'sf-hs', runId: RUN, entity: 'person', slice: 0, batch: 0 }));
    expect(result).toMatchObject({ written: PEOPLE, failed: 0 });

    const emails = [...h.sf.store.all('Lead')].map((l) => l.Email);
    expect(emails).toHaveLength(PEOPLE);
    expect(new Set(emails).size).toBe(PEOPLE);
    // The redone batch linked every person to the Lead the first attempt created.
    const ids = new Set([...h.sf.store.all('Lead')].map((l) => l.Id));
    const [outcome] = await ctx.store.roundState(RUN, roundKeys.outcome('person', 0, 0));
    const links = (outcome?.body as { links: { externalId: string }[] } | undefined)?.links ?? [];
    expect(links).toHaveLength(PEOPLE);
    expect(links.every((l) => ids.has(l.externalId))).toBe(true);
  });
});
