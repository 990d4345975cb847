import type { EntityName } from '../model/index.ts';
import type { ExternalKey } from './external-key.ts';

/** One external record's place in the identity map. */
export interface IdentityLink extends ExternalKey {
  /** The unified entity the record maps to. */
  readonly entity: EntityName;
  /** The unified record it belongs to; twins in other CRMs share it. */
  readonly unifiedId: string;
}

/** One unified record's match key values, by key (e.g. `{ email: ['ada@example.com'] }`). */
export interface MatchKeyEntry {
  /** The unified record the values belong to. */
  readonly unifiedId: string;
  /** Values per match key; a key given replaces all of that record's values for it. */
  readonly keys: Readonly<Record<string, readonly string[]>>;
}

/**
 * Which external records are the same unified record: the identity map, and the match keys that find a twin for a
 * record the map does not know yet. Batch methods take and return many rows in one round trip.
 */
export interface IdentityStore {
  /** Links of these external records, keyed `connection/object/externalId`. */
  findLinks(keys: readonly ExternalKey[]): Promise<Map<string, IdentityLink>>;
  /** Every external record linked to these unified ids. */
  linksOf(unifiedIds: readonly string[]): Promise<IdentityLink[]>;
  /** Adds or re-points links (an external record belongs to one unified record at a time). */
  link(links: readonly IdentityLink[]): Promise<void>;
  /** Drops these records from the identity map (deleted, or split from their twin). */
  unlink(keys: readonly ExternalKey[]): Promise<void>;
  /** Whether any record of this connection's object is in the identity map. */
  hasLinks(connection: string, object: string): Promise<boolean>;

  /** Unified ids carrying a match key value (e.g. `email` = `ada@example.com`), keyed by value. */
  findByMatchKey(entity: EntityName, key: string, values: readonly string[]): Promise<Map<string, string[]>>;
  /** Replaces many unified records' values for the keys each entry gives, in one transaction. */
  setMatchKeysMany(entity: EntityName, entries: readonly MatchKeyEntry[]): Promise<void>;
  /** Replaces a unified record's values for each given key. */
  setMatchKeys(
    entity: EntityName,
    unifiedId: string,
    keys: Readonly<Record<string, readonly string[]>>,
  ): Promise<void>;
}
