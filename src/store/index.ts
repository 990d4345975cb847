export type { Approval, ApprovalDecision, ApprovalStore, Proposal } from './approvals.ts';
export type { CheckpointStore, DeleteCheck } from './checkpoints.ts';
export { type ExternalKey, keyOf } from './external-key.ts';
export type { HousekeepingStore, Pruned } from './housekeeping.ts';
export type { IdentityLink, IdentityStore } from './identity.ts';
export { openStore, redactUrl } from './open-store.ts';
export type { NewQuarantineEntry, QuarantineEntry, QuarantineKind, QuarantineStore } from './quarantine.ts';
export type { RecordStore } from './records.ts';
export {
  type FunnelQuery,
  NO_STAGE,
  NOT_IN_STEP,
  type ReadCount,
  type ReadMark,
  type RoundReportStore,
  STAGE_FIELD,
  type StagePair,
  stageText,
} from './round-report.ts';
export type { RoundStateEntry, RoundStateStore } from './round-state.ts';
export type {
  ApiFigures,
  FunnelFigures,
  ObjectFigures,
  RoundFigures,
  RunLogStore,
  RunRecord,
  RunStatus,
  RunSummary,
} from './run-log.ts';
export { RoundFiguresSchema } from './run-log.ts';
export type { Store } from './store.ts';
export type { WriteHistoryEntry, WriteHistoryStore } from './write-history.ts';
