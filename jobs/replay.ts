import type { BridgeConfig } from '../src/config/schema.ts';
import { type ExternalKey, keyOf, type Store } from '../src/store/index.ts';
import { pairId } from './names.ts';
import type { PairLocks } from './pair-lock.ts';
import { requestSync, type SyncQueue } from './queues.ts';
import { rewindPoint } from './replay-window.ts';

/** Which entries or jobs to replay. */
export type Selection<Id> = { readonly all: true } | { readonly ids: readonly Id[] };

export interface DeadLetterReplay {
  /** Failed jobs moved back to the queue, with their attempts reset. */
  readonly requeued: string[];
  /** Ids asked for that are not failed jobs. */
  readonly missing: string[];
}

/** Puts failed sync jobs back in the queue (after the admin fixed what failed them), with fresh attempts. */
export async function replayDeadLetters(
  queue: SyncQueue,
  selection: Selection<string>,
): Promise<DeadLetterReplay> {
  const out: DeadLetterReplay = { requeued: [], missing: [] };
  const jobs =
    'all' in selection
      ? await queue.getFailed(0, -1)
      : await Promise.all(selection.ids.map((id) => queue.getJob(id)));
  for (const [i, job] of jobs.entries()) {
    const id = 'all' in selection ? (job?.id ?? '') : (selection.ids[i] as string);
    if (job === undefined || (await job.getState()) !== 'failed') {
      out.missing.push(id);
      continue;
    }
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    out.requeued.push(id);
  }
  return out;
}

export interface RecordReplay {
  /** Quarantine entries marked resolved, to be synced again. */
  readonly replayed: number[];
  /** Ids asked for that are not open quarantine entries. */
  readonly missing: number[];
  /** Records whose last-written hash was forgotten (the entries' records and their twins). */
  readonly forgotten: number;
  /** Cursors moved back, per `connection/object`. */
  readonly rewound: Record<string, string>;
  /** The sync job asked for, so the records land without waiting for the schedule. */
  readonly queued: string | undefined;
}

/**
 * Replays quarantined records once the admin fixed the cause (the record, the config, or the target's rules).
 * No connector call is needed: the entries are resolved, the last-written hashes of the records and their twins
 * are forgotten (so the next pull treats them as changed), and each affected object's cursor moves back to a
 * point before the change that got them quarantined (see `rewindPoint`). The next round re-reads from there;
 * records whose hash is still known are skipped cheaply, and the replayed ones are processed again (and, if they
 * still fail, quarantined again). This runs under the pair's lock: a round in progress would otherwise commit
 * its cursors over the rewind.
 */
export async function replayQuarantined(
  deps: {
    readonly store: Store;
    readonly config: Pick<BridgeConfig, 'sync'>;
    readonly locks: PairLocks;
    readonly queue: SyncQueue;
  },
  selection: Selection<number>,
  options: { readonly waitForRoundMs?: number } = {},
): Promise<RecordReplay> {
  const pair = pairId(deps.config);
  const lease = await deps.locks.wait(pair, options.waitForRoundMs ?? 60_000);
  if (lease === undefined)
    throw new Error(`a sync round of ${pair} is still running; replay again once it has finished`);
  try {
    const open = await deps.store.listQuarantine({ limit: 1_000_000 });
    const wanted = 'all' in selection ? open : open.filter((e) => selection.ids.includes(e.id));
    const missing = 'all' in selection ? [] : selection.ids.filter((id) => !open.some((e) => e.id === id));
    if (wanted.length === 0) return { replayed: [], missing, forgotten: 0, rewound: {}, queued: undefined };

    const runs = await deps.store.listRuns(1000);
    const keys = new Map<string, ExternalKey & { to: string }>();
    const add = (key: ExternalKey, to: string) => {
      const known = keys.get(keyOf(key));
      if (known === undefined || to < known.to) keys.set(keyOf(key), { ...key, to });
    };
    const links = await deps.store.findLinks(wanted);
    const twins = await deps.store.linksOf([...new Set([...links.values()].map((l) => l.unifiedId))]);
    for (const entry of wanted) {
      const to = rewindPoint(entry.firstSeen, pair, runs);
      add(entry, to);
      const unifiedId = links.get(keyOf(entry))?.unifiedId;
      for (const twin of twins) if (twin.unifiedId === unifiedId) add(twin, to);
    }
    await deps.store.forgetWritten([...keys.values()]);
    const rewound: Record<string, string> = {};
    for (const { connection, object, to } of keys.values()) {
      const target = `${connection}/${object}`;
      if (rewound[target] === undefined || to < (rewound[target] as string)) rewound[target] = to;
    }
    for (const [target, to] of Object.entries(rewound)) {
      const [connection, object] = target.split('/') as [string, string];
      const cursor = await deps.store.getCursor(connection, object);
      // Only ever back: an object never synced yet is read in full anyway.
      if (cursor === undefined || Date.parse(cursor.modifiedAt) <= Date.parse(to)) delete rewound[target];
      else await deps.store.saveCursor(connection, object, { modifiedAt: to, id: '' });
    }
    await deps.store.resolveQuarantine(wanted.map((e) => e.id));
    const queued = await requestSync(deps.queue, {
      pair,
      connections: deps.config.sync.pair,
      trigger: 'replay',
    });
    return { replayed: wanted.map((e) => e.id), missing, forgotten: keys.size, rewound, queued };
  } finally {
    await lease.release();
  }
}
