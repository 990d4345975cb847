import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { SYNC_JOB_OPTIONS } from './failure-policy.ts';
import { SYNC_QUEUE } from './names.ts';
import type { SyncJobData, SyncJobResult } from './payloads.ts';

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
