import type { ApprovalStore } from './approvals.ts';
import type { CheckpointStore } from './checkpoints.ts';
import type { HousekeepingStore } from './housekeeping.ts';
import type { IdentityStore } from './identity.ts';
import type { QuarantineStore } from './quarantine.ts';
import type { RecordStore } from './records.ts';
import type { RoundReportStore } from './round-report.ts';
import type { RoundStateStore } from './round-state.ts';
import type { RunLogStore } from './run-log.ts';
import type { Engine } from './sql-helpers.ts';
import type { WriteHistoryStore } from './write-history.ts';

/**
 * Durable sync state, one interface per role: checkpoints (cursors, delete scans), the identity map and match keys,
 * what each record last held (written hashes, provenance, snapshots), the quarantine, rounds' work in progress and
 * the run log, the write history, reps' decisions on proposed conversions, and the pruning of what grows with every
 * round. Two engines (SQLite, PostgreSQL). A caller that needs only some roles takes only those.
 * Batch methods take and return many rows in one round trip: a sync touches thousands of records.
 */
export interface Store
  extends CheckpointStore,
    IdentityStore,
    RecordStore,
    QuarantineStore,
    RoundStateStore,
    RunLogStore,
    WriteHistoryStore,
    ApprovalStore,
    HousekeepingStore {
  /** Where the round report is counted, in a store that can count it (see `RoundReportStore`). */
  readonly report?: RoundReportStore;
  /** The engine behind it, for messages. */
  readonly engine: Engine;
  /** Closes the connection (or pool); whoever opened the store closes it. */
  close(): Promise<void>;
}
