import type { EntityName } from '../model/index.ts';
import type { ExternalKey } from './external-key.ts';

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
  /** The entry's number, by which an admin resolves or replays it. */
  readonly id: number;
  /** The unified entity of the record. */
  readonly entity: EntityName;
  /** Why the record or field is set aside, which decides what is still synced of it. */
  readonly kind: QuarantineKind;
  /** The unified field (or `*` for the whole record) and the value that failed. */
  readonly field: string;
  /** The value that failed, as read (absent when the whole record failed). */
  readonly value: unknown;
  /** What went wrong, for the admin who fixes it. */
  readonly reason: string;
  /** When the problem was first seen. */
  readonly firstSeen: string;
  /** When it was last seen again. */
  readonly lastSeen: string;
  /** How many times it was seen. */
  readonly attempts: number;
  /** When it was resolved (its cause gone, or by hand); absent while open. */
  readonly resolvedAt?: string;
}

/** A quarantine entry as raised: the store numbers, dates and counts it. */
export type NewQuarantineEntry = Omit<
  QuarantineEntry,
  'id' | 'firstSeen' | 'lastSeen' | 'attempts' | 'resolvedAt' | 'kind'
> & {
  /** Default `held`. */
  readonly kind?: QuarantineKind;
};

/** The bad records and fields set aside, with the reason, until they are fixed and replayed. */
export interface QuarantineStore {
  /**
   * Adds entries, or counts another attempt of the same record and field. With `settled`, the open entries of those
   * records (read again this round) that `entries` does not raise again are resolved: their cause is gone.
   */
  quarantine(entries: readonly NewQuarantineEntry[], settled?: readonly ExternalKey[]): Promise<void>;
  /** Which of these records are held (an open `held` entry), keyed `connection/object/externalId`. */
  heldAmong(keys: readonly ExternalKey[]): Promise<Set<string>>;
  /** The entries, oldest first (at most `limit`, default 1000); resolved ones only with `includeResolved`. */
  listQuarantine(options?: { includeResolved?: boolean; limit?: number }): Promise<QuarantineEntry[]>;
  /** Marks entries resolved (after the cause was fixed). */
  resolveQuarantine(ids: readonly number[]): Promise<void>;
  /** How many entries are not resolved yet. */
  countQuarantine(): Promise<number>;
}
