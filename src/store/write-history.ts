import type { EntityName } from '../model/index.ts';
import type { ExternalKey } from './external-key.ts';

/** One thing crm-bridge did to a record: a write (create or update) with its field changes, or a conversion. */
export interface WriteHistoryEntry extends ExternalKey {
  readonly entity: EntityName;
  /** The unified record it was done for. */
  readonly unifiedId: string;
  /** The round that did it. */
  readonly runId: string;
  readonly kind: 'created' | 'updated' | 'converted';
  /** The unified fields changed: value there before → value written (empty for a conversion). */
  readonly changes: Readonly<Record<string, { readonly from: unknown; readonly to: unknown }>>;
  /** When it was done (ISO 8601). */
  readonly at: string;
}

/**
 * What crm-bridge wrote to each record and when, for the admin who asks "who changed this?". Kept for every write
 * that landed (a refused one is in the quarantine instead), for `sync.keep` (see HousekeepingStore).
 */
export interface WriteHistoryStore {
  /** Adds entries (the time is the store's clock when not given). */
  recordWrites(entries: readonly (Omit<WriteHistoryEntry, 'at'> & { readonly at?: string })[]): Promise<void>;
  /** The latest `limit` (default 50) entries of these unified records, newest first. */
  writesOf(unifiedIds: readonly string[], limit?: number): Promise<WriteHistoryEntry[]>;
}
