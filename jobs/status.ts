import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QuarantineStore, RunLogStore, RunRecord } from '../src/store/index.ts';
import { pairOfScheduler } from './names.ts';
import { SyncJobData } from './payloads.ts';
import type { SyncQueue } from './queues.ts';
import { type BudgetEntry, UsageBoard } from './usage-board.ts';

/** What `crm-bridge status` shows (and prints with `--json`). */
export interface Status {
  /** Job counts per queue. */
  readonly queues: Record<string, Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed', number>>;
  /** The job schedulers under the prefix. */
  readonly schedules: readonly {
    readonly id: string;
    readonly pair: string | undefined;
    /** `every` in milliseconds, or a cron pattern with its zone. */
    readonly every?: number;
    readonly cron?: string;
    readonly tz?: string;
    /** When the next round is due (ISO 8601). */
    readonly next: string | undefined;
  }[];
  /** Failed jobs kept for replay, newest first. */
  readonly deadLetters: readonly {
    /** The queue it failed in: `sync` (a round: replay re-queues it) or a push queue (its records are quarantined). */
    readonly queue: string;
    readonly id: string;
    readonly pair: string | undefined;
    readonly reason: string;
    readonly failedAt: string | undefined;
    readonly attempts: number;
  }[];
  /** The newest runs of the run log. */
  readonly runs: readonly RunRecord[];
  /** Errors by type over those runs and the dead letters (the kind that starts each failure reason). */
  readonly errors: Record<string, number>;
  /** API budget per connection, as the CRMs last reported it to a worker. */
  readonly budgets: Record<string, BudgetEntry>;
  /** Quarantine entries not yet resolved. */
  readonly quarantine: { readonly open: number };
  /**
   * Rounds under way: taken by a worker, or waiting for their push batches or slice steps. Where each got to (its
   * entity, by index into the round order, and step), its own API calls so far, and its child jobs done of those
   * added: slice steps in the steps `slices` and `recorded`, push batches in the others.
   */
  readonly rounds: readonly {
    readonly jobId: string;
    readonly pair: string | undefined;
    readonly runId?: string;
    readonly entity?: number;
    readonly step: string;
    readonly startedAt?: string;
    readonly calls: Readonly<Record<string, number>>;
    readonly batches: { readonly done: number; readonly total: number };
  }[];
}

const iso = (ms: number | undefined) =>
  ms === undefined || ms === 0 ? undefined : new Date(ms).toISOString();

/** Gathers the queues' state from Redis and the last runs and quarantine size from the store. */
export async function readStatus(
  queue: SyncQueue,
  store: RunLogStore & QuarantineStore,
  options: { runs?: number; redis?: Redis; prefix?: string; children?: ReadonlyMap<string, Queue> } = {},
): Promise<Status> {
  const all: Queue[] = [queue, ...(options.children?.values() ?? [])];
  const queues: Status['queues'] = {};
  const failed = [];
  for (const q of all) {
    const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    queues[q.name] = {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      completed: counts.completed ?? 0,
    };
    for (const job of await q.getFailed(0, 49)) failed.push({ queue: q.name, job });
  }
  failed.sort((a, b) => (b.job.finishedOn ?? 0) - (a.job.finishedOn ?? 0));
  const schedulers = await queue.getJobSchedulers(0, -1);
  const runs = await store.listRuns(options.runs ?? 10);
  const errors: Record<string, number> = {};
  const count = (kind: string, n = 1) => {
    errors[kind] = (errors[kind] ?? 0) + n;
  };
  for (const run of runs) for (const [kind, n] of Object.entries(run.summary?.errors ?? {})) count(kind, n);
  for (const { job } of failed) count(/^([a-z-]+)[ :]/.exec(job.failedReason ?? '')?.[1] ?? 'internal');
  return {
    queues,
    schedules: schedulers.map((s) => ({
      id: s.key,
      pair: pairOfScheduler(s.key),
      ...(s.every === undefined || s.every === null ? {} : { every: Number(s.every) }),
      ...(s.pattern ? { cron: s.pattern } : {}),
      ...(s.tz ? { tz: s.tz } : {}),
      next: iso(s.next === undefined ? undefined : Number(s.next)),
    })),
    deadLetters: failed.map(({ queue: name, job }) => ({
      queue: name,
      id: job.id ?? '',
      pair: (job.data as { pair?: string } | undefined)?.pair,
      reason: job.failedReason ?? '',
      failedAt: iso(job.finishedOn),
      attempts: job.attemptsMade,
    })),
    runs,
    errors,
    budgets:
      options.redis && options.prefix ? await new UsageBoard(options.redis, options.prefix).read() : {},
    quarantine: { open: await store.countQuarantine() },
    rounds: await roundsUnderWay(queue),
  };
}

/** The sync jobs a worker holds or that wait for their batches, with where each round got to. */
async function roundsUnderWay(queue: SyncQueue): Promise<Status['rounds']> {
  const jobs = await queue.getJobs(['active', 'waiting-children']);
  return Promise.all(
    jobs.map(async (job) => {
      const parsed = SyncJobData.safeParse(job.data);
      const round = parsed.success ? parsed.data.round : undefined;
      const deps = await job.getDependenciesCount({ processed: true, unprocessed: true });
      const done = deps.processed ?? 0;
      return {
        jobId: job.id ?? '',
        pair: parsed.success ? parsed.data.pair : undefined,
        ...(round === undefined
          ? { step: 'starting' }
          : {
              runId: round.runId,
              entity: round.index,
              step: round.step,
              startedAt: new Date(round.startedAt).toISOString(),
            }),
        calls: round?.calls ?? {},
        batches: { done, total: done + (deps.unprocessed ?? 0) },
      };
    }),
  );
}
