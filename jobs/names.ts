import { SYSTEMS, type SystemName } from '../connectors/index.ts';
import type { BridgeConfig } from '../src/config/schema.ts';

/** The queue of sync rounds: one job is one round for one pair of connections. */
export const SYNC_QUEUE = 'sync';

/**
 * The queues of a round's push batches, one per target system so that each system's workers and budget are its
 * own, and of its Lead conversions. Any worker of the pair takes them; the round's sync job waits for them all.
 */
export const PUSH_QUEUES = Object.fromEntries(
  SYSTEMS.map((system) => [system, `push-${system}`]),
) as Readonly<Record<SystemName, `push-${SystemName}`>>;
export const CONVERT_QUEUE = 'convert';
export const CHILD_QUEUES: readonly string[] = [...Object.values(PUSH_QUEUES), CONVERT_QUEUE];

/**
 * The queue of a round's slice steps: the slices of a window larger than one slice are planned, and recorded, as
 * jobs any worker of the pair takes, side by side. Their job ids are the round's, entity's, slice's and step's.
 */
export const SLICE_QUEUE = 'slice';
export const sliceJobId = (runId: string, entity: string, slice: number, step: 'plan' | 'record'): string =>
  `slice-${runId}-${entity}-${slice}-${step}`;

/** A push batch's job id: the same batch of the same round is the same job, however often it is added. */
export const batchJobId = (runId: string, entity: string, slice: number, batch: number): string =>
  `${batchJobPrefix(runId, entity, slice)}${batch}`;

/** What the job ids of a slice's push batches start with. */
export const batchJobPrefix = (runId: string, entity: string, slice: number): string =>
  `push-${runId}-${entity}-${slice}-`;

/**
 * The id of a pair, as the run log names it (`sf-hs`). Connection names are lower-case letters, digits and `_`,
 * so the id is a valid BullMQ job and scheduler id: no `:`, never all digits.
 */
export const pairId = (config: Pick<BridgeConfig, 'sync'>): string => config.sync.pair.join('-');

const SCHEDULER = 'sync-';

/** The job scheduler of a pair's sync rounds: stable, so that re-registering updates it in place. */
export const schedulerId = (pair: string): string => `${SCHEDULER}${pair}`;

/** The pair a sync scheduler id belongs to, or undefined for another scheduler. */
export const pairOfScheduler = (id: string): string | undefined =>
  id.startsWith(SCHEDULER) ? id.slice(SCHEDULER.length) : undefined;

/**
 * A key of crm-bridge's own beside the queues' keys. It carries the prefix's hash tag, so it lives in the same
 * Redis Cluster slot, and `obliterate`-style clean-ups of the prefix find it.
 */
export const ownKey = (prefix: string, ...parts: readonly string[]): string =>
  [prefix, 'crm-bridge', ...parts].join(':');
