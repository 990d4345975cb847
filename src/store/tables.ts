import type { Generated } from 'kysely';

/** The state store's tables. Timestamps are ISO 8601 UTC text in both engines, so they sort as text. */
export interface Tables {
  cursors: {
    connection: string;
    object: string;
    modified_at: string;
    record_id: string;
    saved_at: string;
    /** When the pull that got there began, in the CRM's clock (null in a cursor saved without it). */
    pulled_at: string | null;
  };
  identities: {
    entity: string;
    unified_id: string;
    connection: string;
    object: string;
    external_id: string;
    linked_at: string;
  };
  match_keys: { entity: string; key: string; value: string; unified_id: string };
  written: { connection: string; object: string; external_id: string; hash: string; written_at: string };
  provenance: { unified_id: string; field: string; connection: string; modified_at: string };
  quarantine: {
    id: Generated<number>;
    entity: string;
    connection: string;
    object: string;
    external_id: string;
    field: string;
    /** `held` (the record is set aside) or `field` (the record synced without this field). */
    kind: string;
    value: string | null;
    reason: string;
    first_seen: string;
    last_seen: string;
    attempts: number;
    resolved_at: string | null;
  };
  /** The merged unified record as last synced: the base of the next three-way merge. */
  snapshots: {
    unified_id: string;
    entity: string;
    data: string;
    /** Its `lifecycleStage` as text (see STAGE_FIELD), for the round report to count without reading `data`. */
    stage: string | null;
    synced_at: string;
  };
  /** Where each object's delete scan got to (the CRM's clock) and when it last ran (this machine's). */
  delete_checks: { connection: string; object: string; cursor_at: string; checked_at: string };
  /**
   * A round's work in progress between its steps, when its pushes run as separate jobs: the planned batches, each
   * batch's outcome and what the round records at the end. Dropped when the round commits.
   */
  round_state: { run_id: string; key: string; body: string; saved_at: string };
  /** What crm-bridge wrote to each record and when (see WriteHistoryStore). */
  write_history: {
    id: Generated<number>;
    unified_id: string;
    entity: string;
    connection: string;
    object: string;
    external_id: string;
    run_id: string;
    kind: string;
    changes: string;
    at: string;
  };
  /** A rep's latest decision on each proposed conversion given from crm-bridge (see ApprovalStore). */
  approvals: { unified_id: string; decision: string; decided_at: string };
  /** Rounds whose report rows are kept (see RoundReportStore), and when each began. */
  report_runs: { run_id: string; started_at: string };
  /** Per round, the people as it began: each link with its person's stage, and records not in step. */
  report_before: {
    run_id: string;
    connection: string;
    object: string;
    external_id: string;
    unified_id: string | null;
    stage: string | null;
    out_of_step: number;
  };
  /** Per round, each record it read (with a person's stage as read) or acted on. */
  report_records: {
    run_id: string;
    connection: string;
    object: string;
    external_id: string;
    entity: string | null;
    is_read: number;
    staged: number;
    stage: string | null;
    touched: number;
  };
  runs: {
    id: string;
    pair: string;
    started_at: string;
    finished_at: string | null;
    status: string;
    summary: string | null;
  };
}
