import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { PUSH_JOB_OPTIONS, SLICE_JOB_OPTIONS, SYNC_JOB_OPTIONS } from './failure-policy.ts';
import { CHILD_QUEUES, SLICE_QUEUE, SYNC_QUEUE } from './names.ts';
import type {
  PushJobData,
  PushJobResult,
  SliceJobData,
  SliceJobResult,
  SyncJobData,
  SyncJobResult,
} from './payloads.ts';

export type SyncQueue = Queue<SyncJobData, SyncJobResult>;

/** The sync queue under a prefix; its default job options carry the retry and dead-letter policy. */
export function openSyncQueue(connection: Redis, prefix: string): SyncQueue {
  return new Queue<SyncJobData, SyncJobResult>(SYNC_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: SYNC_JOB_OPTIONS,
  });
}

/** Asks for a round now; one waiting request per pair is enough, so further ones fold into it. */
export async function requestSync(queue: SyncQueue, data: SyncJobData): Promise<string | undefined> {
  const job = await queue.add('sync', data, { deduplication: { id: `${data.trigger}-${data.pair}` } });
  return job.id;
}

export type PushQueue = Queue<PushJobData, PushJobResult>;

/** How often a push batch is tried, and the first backoff delay (doubled per attempt, with jitter). */
export interface PushRetry {
  readonly attempts: number;
  readonly delayMs: number;
}

/** The push and convert queues under a prefix, by name; `retry` overrides the batches' attempts and backoff. */
export function openChildQueues(
  connection: Redis,
  prefix: string,
  retry?: PushRetry,
): Map<string, PushQueue> {
  const defaultJobOptions =
    retry === undefined
      ? PUSH_JOB_OPTIONS
      : {
          ...PUSH_JOB_OPTIONS,
          attempts: retry.attempts,
          backoff: { ...PUSH_JOB_OPTIONS.backoff, delay: retry.delayMs },
        };
  return new Map(
    CHILD_QUEUES.map((name) => [
      name,
      new Queue<PushJobData, PushJobResult>(name, { connection, prefix, defaultJobOptions }),
    ]),
  );
}

export type SliceQueue = Queue<SliceJobData, SliceJobResult>;

/** The queue of rounds' slice steps under a prefix. */
export function openSliceQueue(connection: Redis, prefix: string): SliceQueue {
  return new Queue<SliceJobData, SliceJobResult>(SLICE_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: SLICE_JOB_OPTIONS,
  });
}
