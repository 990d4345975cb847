import type { EntityName } from '../model/index.ts';
import type { ExternalKey } from './external-key.ts';

/** Which connection last set a field, and when (that CRM's modification time). */
export interface FieldSource {
  /** The connection whose value won. */
  readonly connection: string;
  /** When that CRM last modified the record, as it reported. */
  readonly modifiedAt: string;
}

/**
 * What crm-bridge knows of each record's content: the hash of what it last wrote (so that its own writes, read
 * back on the next pull, are not synced again), which system last set each field (provenance, for conflicts) and
 * the merged record as last synced (snapshots, to see which fields changed).
 */
export interface RecordStore {
  /** The hash of what crm-bridge last wrote to each record, keyed `connection/object/externalId`. */
  writtenHashes(keys: readonly ExternalKey[]): Promise<Map<string, string>>;
  /** Records the hash of what was just written to each record, replacing the last one. */
  saveWritten(entries: readonly (ExternalKey & { readonly hash: string })[]): Promise<void>;
  /** Forgets what was last written to these records, so that the next pull treats them as changed (replay). */
  forgetWritten(keys: readonly ExternalKey[]): Promise<void>;

  /** Which connection last set each field of a unified record, and when. */
  provenance(unifiedId: string): Promise<Map<string, { connection: string; modifiedAt: string }>>;
  /** Records who set these fields of a unified record; the fields not given keep theirs. */
  saveProvenance(unifiedId: string, fields: Readonly<Record<string, FieldSource>>): Promise<void>;

  /** The merged records as last synced, keyed by unified id. */
  snapshots(unifiedIds: readonly string[]): Promise<Map<string, Record<string, unknown>>>;
  /** Replaces the merged records as last synced. */
  saveSnapshots(
    entries: readonly { readonly unifiedId: string; readonly entity: EntityName; readonly data: object }[],
  ): Promise<void>;
}
