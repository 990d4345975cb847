import type { Cursor } from '../connector/types.ts';
import type { EntityName } from '../model/index.ts';

/** One external record's place in the identity map. */
export interface IdentityLink {
  readonly entity: EntityName;
  readonly unifiedId: string;
  readonly connection: string;
  readonly object: string;
  readonly externalId: string;
}

/** An external record by its coordinates. */
export interface ExternalKey {
  readonly connection: string;
  readonly object: string;
  readonly externalId: string;
}

/**
 * What a quarantine entry stands for:
 * - `held`: a record set aside before anything was written (a value its field's `onInvalid: hold` refuses, an
 *   ambiguous match, no valid match key for a create). It still counts for matching, so its twin is never created
 *   again, but nothing is written from or to it until it maps again or is replayed.
 * - `refused`: a write or conversion the target refused; the record is tried again when it next changes.
 * - `field`: one field of a record that synced without it (a value with no counterpart in the target).
 */
export type QuarantineKind = 'held' | 'refused' | 'field';

/** A bad record or field set aside with the reason, to be fixed and replayed. */
export interface QuarantineEntry extends ExternalKey {
  readonly id: number;
  readonly entity: EntityName;
  readonly kind: QuarantineKind;
  /** The unified field (or `*` for the whole record) and the value that failed. */
  readonly field: string;
  readonly value: unknown;
  readonly reason: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly attempts: number;
  readonly resolvedAt?: string;
}

export type NewQuarantineEntry = Omit<
  QuarantineEntry,
  'id' | 'firstSeen' | 'lastSeen' | 'attempts' | 'resolvedAt' | 'kind'
> & {
  /** Default `held`. */
  readonly kind?: QuarantineKind;
};

/** The state of one object's delete scan. */
export interface DeleteCheck {
  /** The newest deletion seen (the CRM's clock): the next scan starts there, less the overlap. */
  readonly cursorAt: string;
  /** When the scan last ran (this machine's clock), to space scans out. */
  readonly checkedAt: string;
}

/** One saved part of a round's work in progress. */
export interface RoundStateEntry {
  readonly key: string;
  readonly body: unknown;
}

/** What a sync run did, as stored in the run log. */
export interface RunSummary {
  readonly counts: Readonly<Record<string, number>>;
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly errors: Readonly<Record<string, number>>;
  readonly durationMs: number;
}

export interface RunRecord {
  readonly id: string;
  readonly pair: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly summary?: RunSummary;
}

/**
 * Durable sync state: cursors, the identity map, what was last written (echo suppression), which system last set
 * each field (provenance), the quarantine and the run log. One interface, two engines (SQLite, PostgreSQL).
 * Batch methods take and return many rows in one round trip: a sync touches thousands of records.
 */
export interface Store {
  /** The engine behind it, for messages. */
  readonly engine: 'sqlite' | 'postgres';

  getCursor(connection: string, object: string): Promise<Cursor | undefined>;
  saveCursor(connection: string, object: string, cursor: Cursor): Promise<void>;

  /** Where an object's delete scan got to (`cursorAt`, in the CRM's time) and when it last ran (`checkedAt`). */
  getDeleteCheck(connection: string, object: string): Promise<DeleteCheck | undefined>;
  saveDeleteCheck(connection: string, object: string, check: DeleteCheck): Promise<void>;

  /** Links of these external records, keyed `connection/object/externalId`. */
  findLinks(keys: readonly ExternalKey[]): Promise<Map<string, IdentityLink>>;
  /** Every external record linked to these unified ids. */
  linksOf(unifiedIds: readonly string[]): Promise<IdentityLink[]>;
  /** Adds or re-points links (an external record belongs to one unified record at a time). */
  link(links: readonly IdentityLink[]): Promise<void>;
  unlink(keys: readonly ExternalKey[]): Promise<void>;
  /** Whether any record of this connection's object is in the identity map. */
  hasLinks(connection: string, object: string): Promise<boolean>;

  /** Unified ids carrying a match key value (e.g. `email` = `ada@example.com`), keyed by value. */
  findByMatchKey(entity: EntityName, key: string, values: readonly string[]): Promise<Map<string, string[]>>;
  /** Replaces many unified records' values for the keys each entry gives, in one transaction. */
  setMatchKeysMany(
    entity: EntityName,
    entries: readonly {
      readonly unifiedId: string;
      readonly keys: Readonly<Record<string, readonly string[]>>;
    }[],
  ): Promise<void>;
  /** Replaces a unified record's values for each given key. */
  setMatchKeys(
    entity: EntityName,
    unifiedId: string,
    keys: Readonly<Record<string, readonly string[]>>,
  ): Promise<void>;

  /** The hash of what crm-bridge last wrote to each record, keyed `connection/object/externalId`. */
  writtenHashes(keys: readonly ExternalKey[]): Promise<Map<string, string>>;
  saveWritten(entries: readonly (ExternalKey & { readonly hash: string })[]): Promise<void>;
  /** Forgets what was last written to these records, so that the next pull treats them as changed (replay). */
  forgetWritten(keys: readonly ExternalKey[]): Promise<void>;

  /** Which connection last set each field of a unified record, and when. */
  provenance(unifiedId: string): Promise<Map<string, { connection: string; modifiedAt: string }>>;
  saveProvenance(
    unifiedId: string,
    fields: Readonly<Record<string, { readonly connection: string; readonly modifiedAt: string }>>,
  ): Promise<void>;

  /** The merged records as last synced, keyed by unified id. */
  snapshots(unifiedIds: readonly string[]): Promise<Map<string, Record<string, unknown>>>;
  saveSnapshots(
    entries: readonly { readonly unifiedId: string; readonly entity: EntityName; readonly data: object }[],
  ): Promise<void>;

  /**
   * Adds entries, or counts another attempt of the same record and field. With `settled`, the open entries of those
   * records (read again this round) that `entries` does not raise again are resolved: their cause is gone.
   */
  quarantine(entries: readonly NewQuarantineEntry[], settled?: readonly ExternalKey[]): Promise<void>;
  /** Which of these records are held (an open `held` entry), keyed `connection/object/externalId`. */
  heldAmong(keys: readonly ExternalKey[]): Promise<Set<string>>;
  listQuarantine(options?: { includeResolved?: boolean; limit?: number }): Promise<QuarantineEntry[]>;
  resolveQuarantine(ids: readonly number[]): Promise<void>;
  /** How many entries are not resolved yet. */
  countQuarantine(): Promise<number>;

  /**
   * Saves parts of a round's work in progress (JSON values by key), replacing those with the same key: what a
   * round split into jobs hands from one step to the next, durable across processes.
   */
  saveRoundState(runId: string, entries: readonly RoundStateEntry[]): Promise<void>;
  /** The round's saved parts whose key starts with `keyPrefix`, by key. */
  roundState(runId: string, keyPrefix: string): Promise<RoundStateEntry[]>;
  /** Drops a round's saved parts, and those of any round last touched before `staleBefore` (abandoned rounds). */
  dropRoundState(runId: string, staleBefore?: Date): Promise<void>;

  startRun(id: string, pair: string): Promise<void>;
  finishRun(id: string, status: 'succeeded' | 'failed', summary: RunSummary): Promise<void>;
  listRuns(limit: number): Promise<RunRecord[]>;

  close(): Promise<void>;
}

/** The map key of an external record. */
export const keyOf = (k: ExternalKey): string => `${k.connection}/${k.object}/${k.externalId}`;
