import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PairLocks } from '../jobs/pair-lock.ts';
import type { SyncQueue } from '../jobs/queues.ts';
import type { ConsoleTokens } from './auth.ts';
import type { LiveProject } from './live-project.ts';
import type { RecordLinks } from './record-links.ts';

/**
 * What the console reads and changes, handed in by the command that starts it: the same store, queues and locks
 * the CLI and the worker use, so the pages have no path of their own into the data.
 */
export interface ConsoleDeps {
  /** The config, mapping, policy, store and connectors; reloaded after a value map is saved. */
  readonly project: LiveProject;
  readonly redis: Redis;
  /** The queues' key prefix (CRM_BRIDGE_QUEUE_PREFIX). */
  readonly prefix: string;
  readonly queue: SyncQueue;
  /** The push and convert queues, by name. */
  readonly children: ReadonlyMap<string, Queue>;
  readonly locks: PairLocks;
  readonly tokens: ConsoleTokens;
  /** Where each record opens in its CRM. */
  readonly links: RecordLinks;
  /** Removes the secret values the config's env: references hold from any text shown. */
  readonly scrub: (text: string) => string;
  /** How long a replay waits for a running round of the pair (default 10 s: a page should not hang). */
  readonly replayWaitMs?: number;
  /** How long a page may take before it answers 503 saying what did not answer (default 20 s; dry runs 10 min). */
  readonly pageTimeoutMs?: number;
}
