export { openStore, redactUrl } from './open-store.ts';
export type {
  DeleteCheck,
  ExternalKey,
  IdentityLink,
  NewQuarantineEntry,
  QuarantineEntry,
  QuarantineKind,
  RoundStateEntry,
  RunRecord,
  RunSummary,
  Store,
} from './store.ts';
export { keyOf } from './store.ts';
