import type { Kysely } from 'kysely';
import type { Cursor } from '../connector/types.ts';
import type { EntityName } from '../model/index.ts';
import type { Approval, ApprovalDecision, Proposal } from './approvals.ts';
import * as approvalsQueries from './approvals-queries.ts';
import type { DeleteCheck } from './checkpoints.ts';
import * as checkpointsQueries from './checkpoints-queries.ts';
import type { ExternalKey } from './external-key.ts';
import type { Pruned } from './housekeeping.ts';
import * as housekeepingQueries from './housekeeping-queries.ts';
import type { IdentityLink, MatchKeyEntry } from './identity.ts';
import * as identityQueries from './identity-queries.ts';
import type { NewQuarantineEntry, QuarantineEntry } from './quarantine.ts';
import * as quarantineQueries from './quarantine-queries.ts';
import type { FieldSource } from './records.ts';
import * as recordsQueries from './records-queries.ts';
import type { RoundReportStore } from './round-report.ts';
import * as roundReportQueries from './round-report-queries.ts';
import type { RoundStateEntry } from './round-state.ts';
import * as roundStateQueries from './round-state-queries.ts';
import type { RoundFigures, RunRecord, RunStatus, RunSummary } from './run-log.ts';
import * as runLogQueries from './run-log-queries.ts';
import type { Engine } from './sql-helpers.ts';
import type { Store } from './store.ts';
import type { Tables } from './tables.ts';
import type { WriteHistoryEntry } from './write-history.ts';
import * as writeHistoryQueries from './write-history-queries.ts';

/**
 * The Store on Kysely: the same queries serve SQLite and PostgreSQL. Each role's queries live in their own module
 * (`*-queries.ts`); this class only hands them the database.
 */
export class KyselyStore implements Store {
  readonly engine: Engine;
  readonly #db: Kysely<Tables>;

  readonly report: RoundReportStore;

  constructor(db: Kysely<Tables>, engine: Engine) {
    this.#db = db;
    this.engine = engine;
    this.report = {
      beginReport: (runId, entity, field) => roundReportQueries.beginReport(db, engine, runId, entity, field),
      reportBegun: (runId) => roundReportQueries.reportBegun(db, runId),
      markRead: (runId, records) => roundReportQueries.markRead(db, engine, runId, records),
      markTouched: (runId, keys) => roundReportQueries.markTouched(db, engine, runId, keys),
      reportFunnel: (runId, query) => roundReportQueries.reportFunnel(db, engine, runId, query),
      reportReads: (runId) => roundReportQueries.reportReads(db, engine, runId),
      dropReport: (runId, staleBefore) => roundReportQueries.dropReport(db, runId, staleBefore),
    };
  }

  getCursor(connection: string, object: string): Promise<Cursor | undefined> {
    return checkpointsQueries.getCursor(this.#db, connection, object);
  }
  saveCursor(connection: string, object: string, cursor: Cursor): Promise<void> {
    return checkpointsQueries.saveCursor(this.#db, connection, object, cursor);
  }
  getDeleteCheck(connection: string, object: string): Promise<DeleteCheck | undefined> {
    return checkpointsQueries.getDeleteCheck(this.#db, connection, object);
  }
  saveDeleteCheck(connection: string, object: string, check: DeleteCheck): Promise<void> {
    return checkpointsQueries.saveDeleteCheck(this.#db, connection, object, check);
  }

  findLinks(keys: readonly ExternalKey[]): Promise<Map<string, IdentityLink>> {
    return identityQueries.findLinks(this.#db, keys);
  }
  linksOf(unifiedIds: readonly string[]): Promise<IdentityLink[]> {
    return identityQueries.linksOf(this.#db, unifiedIds);
  }
  link(links: readonly IdentityLink[]): Promise<void> {
    return identityQueries.link(this.#db, links);
  }
  unlink(keys: readonly ExternalKey[]): Promise<void> {
    return identityQueries.unlink(this.#db, keys);
  }
  hasLinks(connection: string, object: string): Promise<boolean> {
    return identityQueries.hasLinks(this.#db, connection, object);
  }
  findByMatchKey(entity: EntityName, key: string, values: readonly string[]): Promise<Map<string, string[]>> {
    return identityQueries.findByMatchKey(this.#db, entity, key, values);
  }
  setMatchKeys(
    entity: EntityName,
    unifiedId: string,
    keys: Readonly<Record<string, readonly string[]>>,
  ): Promise<void> {
    return identityQueries.setMatchKeys(this.#db, entity, unifiedId, keys);
  }
  setMatchKeysMany(entity: EntityName, entries: readonly MatchKeyEntry[]): Promise<void> {
    return identityQueries.setMatchKeysMany(this.#db, entity, entries);
  }

  writtenHashes(keys: readonly ExternalKey[]): Promise<Map<string, string>> {
    return recordsQueries.writtenHashes(this.#db, keys);
  }
  saveWritten(entries: readonly (ExternalKey & { readonly hash: string })[]): Promise<void> {
    return recordsQueries.saveWritten(this.#db, entries);
  }
  forgetWritten(keys: readonly ExternalKey[]): Promise<void> {
    return recordsQueries.forgetWritten(this.#db, keys);
  }
  provenance(unifiedId: string): Promise<Map<string, { connection: string; modifiedAt: string }>> {
    return recordsQueries.provenance(this.#db, unifiedId);
  }
  saveProvenance(unifiedId: string, fields: Readonly<Record<string, FieldSource>>): Promise<void> {
    return recordsQueries.saveProvenance(this.#db, unifiedId, fields);
  }
  snapshots(unifiedIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    return recordsQueries.snapshots(this.#db, unifiedIds);
  }
  saveSnapshots(
    entries: readonly { readonly unifiedId: string; readonly entity: EntityName; readonly data: object }[],
  ): Promise<void> {
    return recordsQueries.saveSnapshots(this.#db, entries);
  }

  quarantine(entries: readonly NewQuarantineEntry[], settled?: readonly ExternalKey[]): Promise<void> {
    return quarantineQueries.quarantine(this.#db, entries, settled);
  }
  heldAmong(keys: readonly ExternalKey[]): Promise<Set<string>> {
    return quarantineQueries.heldAmong(this.#db, keys);
  }
  listQuarantine(options: { includeResolved?: boolean; limit?: number } = {}): Promise<QuarantineEntry[]> {
    return quarantineQueries.listQuarantine(this.#db, options);
  }
  resolveQuarantine(ids: readonly number[]): Promise<void> {
    return quarantineQueries.resolveQuarantine(this.#db, ids);
  }
  countQuarantine(): Promise<number> {
    return quarantineQueries.countQuarantine(this.#db);
  }

  saveRoundState(runId: string, entries: readonly RoundStateEntry[]): Promise<void> {
    return roundStateQueries.saveRoundState(this.#db, runId, entries);
  }
  roundState(runId: string, keyPrefix: string): Promise<RoundStateEntry[]> {
    return roundStateQueries.roundState(this.#db, runId, keyPrefix);
  }
  roundStateAt(runId: string, keys: readonly string[]): Promise<RoundStateEntry[]> {
    return roundStateQueries.roundStateAt(this.#db, this.engine, runId, keys);
  }
  dropRoundStateAt(runId: string, keys: readonly string[]): Promise<void> {
    return roundStateQueries.dropRoundStateAt(this.#db, this.engine, runId, keys);
  }
  dropRoundState(runId: string, staleBefore?: Date): Promise<void> {
    return roundStateQueries.dropRoundState(this.#db, runId, staleBefore);
  }

  startRun(id: string, pair: string): Promise<void> {
    return runLogQueries.startRun(this.#db, id, pair);
  }
  finishRun(id: string, status: Exclude<RunStatus, 'running'>, summary: RunSummary): Promise<void> {
    return runLogQueries.finishRun(this.#db, id, status, summary);
  }
  recordWrites(
    entries: readonly (Omit<WriteHistoryEntry, 'at'> & { readonly at?: string })[],
  ): Promise<void> {
    return writeHistoryQueries.recordWrites(this.#db, entries);
  }
  writesOf(unifiedIds: readonly string[], limit?: number): Promise<WriteHistoryEntry[]> {
    return writeHistoryQueries.writesOf(this.#db, unifiedIds, limit);
  }
  listRuns(limit: number): Promise<RunRecord[]> {
    return runLogQueries.listRuns(this.#db, limit);
  }
  findRun(id: string): Promise<RunRecord | undefined> {
    return runLogQueries.findRun(this.#db, id);
  }
  saveRunReport(id: string, report: RoundFigures): Promise<void> {
    return runLogQueries.saveRunReport(this.#db, id, report);
  }

  recordApproval(unifiedId: string, decision: ApprovalDecision, decidedAt?: string): Promise<void> {
    return approvalsQueries.recordApproval(this.#db, unifiedId, decision, decidedAt);
  }
  approvalsOf(unifiedIds: readonly string[]): Promise<Map<string, Approval>> {
    return approvalsQueries.approvalsOf(this.#db, unifiedIds);
  }
  pendingApprovals(): Promise<string[]> {
    return approvalsQueries.pendingApprovals(this.#db, this.engine);
  }
  proposals(limit: number): Promise<Proposal[]> {
    return approvalsQueries.proposals(this.#db, this.engine, limit);
  }

  prune(before: Date): Promise<Pruned> {
    return housekeepingQueries.prune(this.#db, before);
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }
}
