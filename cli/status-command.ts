import { openChildQueues, openSyncQueue } from '../jobs/queues.ts';
import { openRedis } from '../jobs/redis.ts';
import { readStatus } from '../jobs/status.ts';
import { readEnv } from '../src/env.ts';
import { openStore } from '../src/store/index.ts';
import { countOption, type Output } from './output.ts';
import { writeReportHtml } from './report-round.ts';
import { formatRun, formatStatus } from './status-report.ts';

export interface StatusOptions {
  readonly json?: boolean;
  readonly runs?: string;
  /** One round's report, from the run log alone. */
  readonly run?: string;
  /** With `run`: write its report as a self-contained HTML page. */
  readonly html?: string;
}

/** Prints the queues, schedules, dead letters, last runs and quarantine size (from Redis and the store). */
export async function statusCommand(options: StatusOptions, output: Output): Promise<number> {
  if (options.run !== undefined) return runReport(options.run, options, output);
  if (options.html !== undefined) {
    output.err("--html writes one round's report: pass --run <id> too (ids from crm-bridge status)");
    return 2;
  }
  const runs = countOption('runs', options.runs, 10, output);
  if (runs === undefined) return 2;
  const env = readEnv();
  const store = await openStore(env.DATABASE_URL);
  try {
    const redis = await openRedis(env.REDIS_URL);
    const queue = openSyncQueue(redis, env.CRM_BRIDGE_QUEUE_PREFIX);
    const children = openChildQueues(redis, env.CRM_BRIDGE_QUEUE_PREFIX);
    try {
      const status = await readStatus(queue, store, {
        runs,
        redis,
        prefix: env.CRM_BRIDGE_QUEUE_PREFIX,
        children,
      });
      output.out(options.json ? JSON.stringify(status, null, 2) : formatStatus(status));
      return 0;
    } finally {
      await queue.close();
      await Promise.all([...children.values()].map((q) => q.close()));
      redis.disconnect();
    }
  } finally {
    await store.close();
  }
}

/** One round from the run log: its report when it kept one, else the counts it logged. */
async function runReport(id: string, options: StatusOptions, output: Output): Promise<number> {
  const store = await openStore(readEnv().DATABASE_URL);
  try {
    const run = await store.findRun?.(id);
    if (run === undefined) {
      output.err(`no round ${id} in the run log (crm-bridge status lists the last ones)`);
      return 1;
    }
    output.out(options.json ? JSON.stringify(run, null, 2) : formatRun(run));
    if (options.html === undefined) return 0;
    if (run.summary?.report === undefined) {
      output.err(`round ${id} kept no report figures, so there is no page to write (see the counts above)`);
      return 1;
    }
    await writeReportHtml(options.html, run.summary.report);
    return 0;
  } finally {
    await store.close();
  }
}
