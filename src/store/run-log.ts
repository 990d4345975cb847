import { z } from 'zod';

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
  /**
   * The round report's figures (per object and system, the lifecycle funnel, API calls against the minimum), kept
   * so that `crm-bridge status --run <id>` shows a past round as `sync --once` did. Versioned and checked with
   * `RoundFiguresSchema` when read; rows logged before it existed, and rounds run without it, have none.
   */
  readonly report?: RoundFigures;
}

const Counts = z.record(z.string(), z.number().int().nonnegative());

/** One object of one connection in a round: what was read, written and set aside. */
export const ObjectFiguresSchema = z.object({
  entity: z.string(),
  connection: z.string(),
  system: z.string(),
  object: z.string(),
  pulled: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  converted: z.number().int().nonnegative(),
  /** Records read that needed nothing: crm-bridge's own writes read back, or values both sides already held. */
  unchanged: z.number().int().nonnegative(),
  held: z.number().int().nonnegative(),
  refused: z.number().int().nonnegative(),
  fieldIssues: z.number().int().nonnegative(),
});

/** People at each lifecycle stage in one CRM, before and after the round. */
export const FunnelSchema = z.object({
  connection: z.string(),
  system: z.string(),
  before: Counts,
  after: Counts,
});

/** A connection's API calls against the fewest the round's data needed. */
export const ApiFiguresSchema = z.object({
  connection: z.string(),
  system: z.string(),
  calls: z.number().int().nonnegative().optional(),
  minimum: z.number().int().nonnegative(),
  pageSize: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  read: z.number().int().nonnegative(),
  written: z.number().int().nonnegative(),
  converted: z.number().int().nonnegative(),
});

/** The round report's figures: counts only, never a record's values. */
export const RoundFiguresSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  dryRun: z.boolean(),
  durationMs: z.number().int().nonnegative(),
  objects: z.array(ObjectFiguresSchema),
  funnel: z.object({
    /** The stages in the config's order (its value map), then any other stage met, then `none`. */
    stages: z.array(z.string()),
    crms: z.array(FunnelSchema),
    /** People held in both CRMs whose stages differ (or one side is not in step), before and after. */
    disagreements: z.object({ before: z.number().int(), after: z.number().int(), both: z.number().int() }),
  }),
  api: z.array(ApiFiguresSchema),
});

export type ObjectFigures = z.infer<typeof ObjectFiguresSchema>;
export type FunnelFigures = z.infer<typeof FunnelSchema>;
export type ApiFigures = z.infer<typeof ApiFiguresSchema>;
export type RoundFigures = z.infer<typeof RoundFiguresSchema>;

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
  /** One round by its run id (undefined when the log has none). */
  findRun?(id: string): Promise<RunRecord | undefined>;
  /** Adds the round report's figures to a finished round's summary, keeping the rest of it. */
  saveRunReport?(id: string, report: RoundFigures): Promise<void>;
}
