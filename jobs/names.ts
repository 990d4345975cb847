import type { BridgeConfig } from '../src/config/schema.ts';

/** The queue of sync rounds: one job is one round for one pair of connections. */
export const SYNC_QUEUE = 'sync';

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
