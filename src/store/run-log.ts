/** How a round stands in the run log. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** What a sync run did, as stored in the run log. */
export interface RunSummary {
  /** Records by entity, outcome and target (e.g. `contact.created.hubspot`). */
  readonly counts: Readonly<Record<string, number>>;
  /** API calls made, per connection (where the connector counts them). */
  readonly apiCalls: Readonly<Record<string, number>>;
  /** The error kind that failed the round, if any (`{ auth: 1 }`). */
  readonly errors: Readonly<Record<string, number>>;
  /** How long the round took. */
  readonly durationMs: number;
}

/** One round in the run log. */
export interface RunRecord {
  /** The round's run id. */
  readonly id: string;
  /** The sync pair it ran. */
  readonly pair: string;
  /** When it started (this machine's clock). */
  readonly startedAt: string;
  /** When it ended; absent while running. */
  readonly finishedAt?: string;
  /** How it ended, or `running`. */
  /** `interrupted`: stopped by the operator (SIGINT/SIGTERM) after the writes in flight; its cursors were not moved. */
  readonly status: RunStatus;
  /** What it did; absent while running. */
  readonly summary?: RunSummary;
}

/** What each round did: for status reports, metrics and the window a replay looks back over. */
export interface RunLogStore {
  /** Logs a round as running. */
  startRun(id: string, pair: string): Promise<void>;
  /** Logs how a round ended, with its summary. */
  finishRun(id: string, status: Exclude<RunStatus, 'running'>, summary: RunSummary): Promise<void>;
  /** The latest `limit` rounds, newest first. */
  listRuns(limit: number): Promise<RunRecord[]>;
}
