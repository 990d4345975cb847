/** One saved part of a round's work in progress. */
export interface RoundStateEntry {
  /** Where the part sits in the round (keys sort in the order the steps read them). */
  readonly key: string;
  /** The part itself, any JSON value. */
  readonly body: unknown;
}

/**
 * A round's work in progress: what a round split into jobs hands from one step to the next, durable across
 * processes (never in Redis: parts hold record values).
 */
export interface RoundStateStore {
  /** Saves parts of a round's work in progress (JSON values by key), replacing those with the same key. */
  saveRoundState(runId: string, entries: readonly RoundStateEntry[]): Promise<void>;
  /** The round's saved parts whose key starts with `keyPrefix`, by key. */
  roundState(runId: string, keyPrefix: string): Promise<RoundStateEntry[]>;
  /** The round's saved parts under exactly these keys, by key; keys not saved are left out. */
  roundStateAt(runId: string, keys: readonly string[]): Promise<RoundStateEntry[]>;
  /** Drops the round's saved parts under exactly these keys. */
  dropRoundStateAt(runId: string, keys: readonly string[]): Promise<void>;
  /** Drops a round's saved parts, and those of any round last touched before `staleBefore` (abandoned rounds). */
  dropRoundState(runId: string, staleBefore?: Date): Promise<void>;
}
