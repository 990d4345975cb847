import type { Conversion, Write } from '../connector/types.ts';
import type { EntityName } from '../model/index.ts';
import type { ExternalKey, NewQuarantineEntry } from '../store/index.ts';

type Bag = Record<string, unknown>;

/** A write to one external record, with what it changes. */
export interface PlannedWrite {
  readonly entity: EntityName;
  readonly unifiedId: string;
  readonly connection: string;
  readonly object: string;
  readonly write: Write;
  readonly create: boolean;
  /** The changed unified fields: value there now → value written. */
  readonly diff: Readonly<Record<string, { from: unknown; to: unknown }>>;
  /** The hash of the record's mapped values once written, for echo suppression. */
  readonly hash: string;
  /** The record the values came from, which a failed create is reported against (the target has none yet). */
  readonly source: ExternalKey | undefined;
  /**
   * A twin id known only once this round's create in `connection` has landed: written to `field` after the
   * round's other writes, with the id that create got (left out if it failed).
   */
  readonly twinFrom?: { readonly field: string; readonly connection: string };
}

export interface PlannedConversion {
  readonly unifiedId: string;
  readonly connection: string;
  readonly conversion: Conversion;
}

export interface Plan {
  readonly writes: PlannedWrite[];
  readonly conversions: PlannedConversion[];
  readonly snapshots: { unifiedId: string; entity: EntityName; data: Bag }[];
  readonly quarantined: NewQuarantineEntry[];
  /**
   * Per record and connection planned for, the fields whose value there stands for the unified one without being
   * it: left unwritten (no counterpart), or written as a value that reads back as another. The next merge does not
   * take that value for a change.
   */
  readonly skipped: {
    unifiedId: string;
    connection: string;
    fields: Record<string, { readonly kept: unknown; readonly for?: unknown }>;
  }[];
  conflicts: number;
  classified: number;
}

/** A plan with nothing in it yet. */
export function emptyPlan(): Plan {
  return {
    writes: [],
    conversions: [],
    snapshots: [],
    quarantined: [],
    skipped: [],
    conflicts: 0,
    classified: 0,
  };
}
