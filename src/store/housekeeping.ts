/** What a prune removed: rows older than the bound, of each table that grows with every round. */
export interface Pruned {
  /** Write history entries (what crm-bridge wrote to a record, and when). */
  readonly writes: number;
  /** Quarantine entries settled (resolved or replayed) before the bound; open ones are always kept. */
  readonly settled: number;
  /** Finished runs of the run log; a run still running is always kept. */
  readonly runs: number;
}

/**
 * Keeps the tables that grow with every round to a bounded age (`sync.keep`): the write history, settled quarantine
 * entries and finished runs older than the bound are removed. Nothing a round or an admin still needs goes: open
 * quarantine entries, running runs, identities, snapshots and cursors are never pruned.
 */
export interface HousekeepingStore {
  prune(before: Date): Promise<Pruned>;
}
