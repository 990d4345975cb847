import type { RepeatOptions } from 'bullmq';
import type { BridgeConfig } from '../src/config/schema.ts';
import { durationMs } from '../src/sync/context.ts';
import { SYNC_JOB_OPTIONS } from './failure-policy.ts';
import { pairId, pairOfScheduler, schedulerId } from './names.ts';
import type { SyncJobData } from './payloads.ts';
import type { SyncQueue } from './queues.ts';

type Schedule = BridgeConfig['sync']['schedule'];

/** BullMQ's repeat options for a config schedule: `every` in milliseconds, or a cron pattern with its zone. */
export function repeatOf(schedule: Schedule): Omit<RepeatOptions, 'key'> {
  if (schedule.every !== undefined) return { every: durationMs(schedule.every) };
  if (schedule.cron !== undefined)
    return { pattern: schedule.cron, ...(schedule.tz === undefined ? {} : { tz: schedule.tz }) };
  throw new Error('a schedule needs "every" or "cron"');
}

/** What reconciling did, for the worker's log. */
export interface Reconciled {
  /** The scheduler registered (or updated) for the config's pair. */
  readonly upserted: string;
  /** Schedulers of pairs no longer in the config, removed. */
  readonly removed: readonly string[];
}

/**
 * Makes the queue's schedulers match the config: the pair's scheduler is upserted under its stable id (a changed
 * schedule replaces the old one in place) and the scheduler of any other pair is removed. One prefix serves one
 * deployment's config; deployments sharing a Redis use different prefixes.
 */
export async function reconcileSchedules(
  queue: SyncQueue,
  config: Pick<BridgeConfig, 'sync'>,
): Promise<Reconciled> {
  const pair = pairId(config);
  const id = schedulerId(pair);
  const removed: string[] = [];
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const other = pairOfScheduler(scheduler.key);
    if (other !== undefined && other !== pair) {
      await queue.removeJobScheduler(scheduler.key);
      removed.push(scheduler.key);
    }
  }
  const data: SyncJobData = { pair, connections: config.sync.pair, trigger: 'schedule' };
  await queue.upsertJobScheduler(id, repeatOf(config.sync.schedule), {
    name: 'sync',
    data,
    opts: SYNC_JOB_OPTIONS,
  });
  return { upserted: id, removed };
}
