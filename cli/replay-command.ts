import { PairLocks } from '../jobs/pair-lock.ts';
import { openSyncQueue } from '../jobs/queues.ts';
import { openRedis } from '../jobs/redis.ts';
import {
  type DeadLetterReplay,
  type RecordReplay,
  replayDeadLetters,
  replayQuarantined,
} from '../jobs/replay.ts';
import { loadConfig } from '../src/config/load.ts';
import { formatIssue } from '../src/config/yaml-source.ts';
import { readEnv } from '../src/env.ts';
import { openStore } from '../src/store/index.ts';
import { configPath } from './config-path.ts';
import type { Output } from './output.ts';
import { setupProblem } from './runtime.ts';

export interface ReplayOptions {
  readonly config?: string;
  /** Quarantine entry ids (as `crm-bridge quarantine` shows them, without the #). */
  readonly record?: readonly string[];
  /** Dead-letter job ids (as `crm-bridge status` shows them). */
  readonly job?: readonly string[];
  readonly all?: boolean;
  readonly json?: boolean;
  /** How long to wait for a running round of the pair before giving up, in seconds. */
  readonly wait?: string;
}

/**
 * Replays, after the admin fixed the cause: dead-letter sync jobs go back to the queue with fresh attempts;
 * quarantined records are resolved and made to be read again by the next round, which is queued at once.
 */
export async function replayCommand(options: ReplayOptions, output: Output): Promise<number> {
  const records = (options.record ?? []).map((id) => Number(id.replace(/^#/, '')));
  if (records.some((id) => !Number.isInteger(id) || id < 1)) {
    output.err(`--record expects quarantine entry numbers; got ${(options.record ?? []).join(' ')}`);
    return 2;
  }
  const waitSeconds = options.wait === undefined ? 60 : Number(options.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
    output.err(`--wait expects a number of seconds; got "${options.wait}"`);
    return 2;
  }
  const jobs = options.job ?? [];
  if (!options.all && records.length === 0 && jobs.length === 0) {
    output.err('name what to replay: --record <ids...>, --job <ids...>, or --all');
    return 2;
  }
  const env = readEnv();
  const redis = await openRedis(env.REDIS_URL);
  const queue = openSyncQueue(redis, env.CRM_BRIDGE_QUEUE_PREFIX);
  try {
    let deadLetters: DeadLetterReplay | undefined;
    let quarantined: RecordReplay | undefined;
    if (options.all || jobs.length > 0)
      deadLetters = await replayDeadLetters(queue, options.all ? { all: true } : { ids: jobs });
    if (options.all || records.length > 0) {
      const file = configPath(options.config);
      const loaded = await loadConfig(file);
      if (!loaded.ok) {
        output.err(loaded.issues.map(formatIssue).join('\n'));
        return 1;
      }
      const store = await openStore(env.DATABASE_URL);
      try {
        const locks = new PairLocks(redis, env.CRM_BRIDGE_QUEUE_PREFIX);
        quarantined = await replayQuarantined(
          { store, config: loaded.value, locks, queue },
          options.all ? { all: true } : { ids: records },
          { waitForRoundMs: waitSeconds * 1000 },
        );
      } finally {
        await store.close();
      }
    }
    if (options.json) output.out(JSON.stringify({ deadLetters, quarantined }, null, 2));
    else output.out(formatReplay(deadLetters, quarantined));
    const missing = (deadLetters?.missing.length ?? 0) + (quarantined?.missing.length ?? 0);
    return missing > 0 ? 1 : 0;
  } catch (error) {
    output.err(setupProblem(error) ?? `replay stopped: ${(error as Error).message}`);
    return 1;
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

function formatReplay(deadLetters: DeadLetterReplay | undefined, records: RecordReplay | undefined): string {
  const lines: string[] = [];
  if (deadLetters) {
    lines.push(
      `dead letters re-queued: ${deadLetters.requeued.length}${deadLetters.requeued.length > 0 ? ` (${deadLetters.requeued.join(', ')})` : ''}`,
    );
    if (deadLetters.missing.length > 0)
      lines.push(`not failed jobs, left alone: ${deadLetters.missing.join(', ')}`);
  }
  if (records) {
    lines.push(
      `quarantined records replayed: ${records.replayed.length}${records.replayed.length > 0 ? ` (${records.replayed.map((id) => `#${id}`).join(', ')})` : ''}`,
    );
    if (records.missing.length > 0)
      lines.push(
        `not open quarantine entries, left alone: ${records.missing.map((id) => `#${id}`).join(', ')}`,
      );
    const rewound = Object.entries(records.rewound);
    if (rewound.length > 0)
      lines.push(`read again from: ${rewound.map(([t, to]) => `${t} ${to}`).join(', ')}`);
    if (records.queued !== undefined)
      lines.push(`sync round queued (job ${records.queued}): the records land there`);
  }
  return lines.join('\n');
}
