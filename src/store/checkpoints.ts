import type { Cursor } from '../connector/types.ts';

/** The state of one object's delete scan. */
export interface DeleteCheck {
  /** The newest deletion seen (the CRM's clock): the next scan starts there, less the overlap. */
  readonly cursorAt: string;
  /** When the scan last ran (this machine's clock), to space scans out. */
  readonly checkedAt: string;
}

/** Where each object's pulls and delete scans got to, so that the next round picks up from there. */
export interface CheckpointStore {
  /**
   * Where the last pull of a connection's object got to, and when that pull began (`pulledAt`, when it was saved
   * with one); none before its first pull.
   */
  getCursor(connection: string, object: string): Promise<Cursor | undefined>;
  /** Moves a connection's object's cursor (saved after each page); one without `pulledAt` clears it. */
  saveCursor(connection: string, object: string, cursor: Cursor): Promise<void>;

  /** Where an object's delete scan got to (`cursorAt`, in the CRM's time) and when it last ran (`checkedAt`). */
  getDeleteCheck(connection: string, object: string): Promise<DeleteCheck | undefined>;
  /** Replaces an object's delete scan state. */
  saveDeleteCheck(connection: string, object: string, check: DeleteCheck): Promise<void>;
}
