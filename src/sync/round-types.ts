import type { Cursor, ExternalRecord } from '../connector/types.ts';
import type { EntityName } from '../model/index.ts';
import type { ExternalKey, NewQuarantineEntry } from '../store/index.ts';
import type { Plan, PlannedWrite } from './plan-types.ts';

/** What one entity's part of a round did (or, in a dry run, would do). */
export interface EntityReport {
  /** Records read per `connection/object`. */
  readonly read: Record<string, number>;
  /** Records that had changed (echoes of crm-bridge's own writes left out). */
  readonly changed: number;
  readonly echoes: number;
  readonly creates: Record<string, number>;
  readonly updates: Record<string, number>;
  readonly conversions: number;
  readonly conflicts: number;
  readonly quarantined: number;
  /** Of those, per kind: records held, writes refused, fields left out (see QuarantineKind). */
  readonly held?: number;
  readonly refused?: number;
  readonly fieldIssues?: number;
  /** A few planned writes with their field changes, for the dry-run report. */
  readonly samples: readonly Pick<PlannedWrite, 'connection' | 'object' | 'create' | 'diff' | 'unifiedId'>[];
  /** A dry run's every planned write: the record written (its id, or for a create its upsert key) and the changes. */
  readonly planned?: readonly PlannedWriteReport[];
  /** A dry run's every planned conversion: whose, in which connection, and what it would make. */
  readonly plannedConversions?: readonly PlannedConversionReport[];
  /** Deletes and merges reported by the CRMs: twins unlinked, twins deleted, identities moved to a survivor. */
  readonly deletes: { readonly unlinked: number; readonly propagated: number; readonly merged: number };
  /**
   * What the config and the CRMs disagree on, found before the entity's first write (every problem of every
   * entity, each with the config's file:line:column and the fix). With an error among this entity's, it was
   * skipped: nothing read, nothing written, its cursors left where they were.
   */
  readonly problems?: readonly string[];
  readonly skipped?: boolean;
}

/** One conversion of a dry run's plan, as reported. */
export interface PlannedConversionReport {
  readonly connection: string;
  /** The record converted: its object (the lead object, or the person object of a CRM of lifecycle stages) and id. */
  readonly object: string;
  readonly id: string;
  /** An opportunity (deal) made with it. */
  readonly createOpportunity: boolean;
  /** The lifecycle stage the person is advanced to, in a CRM of lifecycle stages. */
  readonly lifecycleStage?: string;
}

/** One write of a dry run's plan, as reported. */
export interface PlannedWriteReport {
  readonly connection: string;
  readonly object: string;
  readonly create: boolean;
  /** The record updated. */
  readonly id?: string;
  /** A create's upsert key (`Email = ada@example.com`), when it has one. */
  readonly key?: string;
  readonly diff: PlannedWrite['diff'];
}

export interface SyncReport {
  readonly runId: string;
  readonly dryRun: boolean;
  /** API calls the round made, per connection (where the connector counts them). */
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly entities: Partial<Record<EntityName, EntityReport>>;
  readonly durationMs: number;
}

/** Where a pull got to: saved only when the whole round is done. */
export interface RoundCursor {
  readonly connection: string;
  readonly object: string;
  readonly cursor: Cursor;
}

/**
 * One entity's part of a round once planned, before anything is pushed: plain data (JSON), so that a round whose
 * pushes run as separate jobs can keep it in the state store between its steps.
 */
export interface PlannedEntity {
  readonly entity: EntityName;
  readonly plan: Plan;
  /** Records set aside before pushing (bad values, ambiguous matches, failed deletes). */
  readonly quarantined: readonly NewQuarantineEntry[];
  /** The hash of every record read, with its unified id: what crm-bridge knows of it unless a write replaces it. */
  readonly known: readonly (ExternalKey & { readonly unifiedId: string; readonly hash: string })[];
  /** Every record read this round as changed: their quarantine entries not raised again are settled. */
  readonly read: readonly ExternalKey[];
  readonly cursors: readonly RoundCursor[];
  /** The report as planned (creates and updates planned, not yet done). */
  readonly report: EntityReport;
  /**
   * Accounts whose people are planned again in the same round: the accounts of deals that changed (deals), and
   * accounts that gained a record in a connection (accounts), which people written there before lack.
   */
  readonly dealAccounts: readonly string[];
  /** People on deals that changed (deals only, when the config maps a deal's contacts): classified again too. */
  readonly dealPeople?: readonly string[];
  /** How many slices the entity's records are planned in (absent: one). */
  readonly slices?: number;
}

/** A record of a large pull window as it was read, waiting for its slice to be planned. */
export interface StagedRecord {
  readonly connection: string;
  readonly object: string;
  readonly external: ExternalRecord;
}

/** What an entity's pull found, kept once its records are staged: the first slice reports it. */
export interface EntityStage {
  readonly cursors: readonly RoundCursor[];
  readonly read: Record<string, number>;
  readonly echoes: number;
  readonly changed: number;
  readonly deletes: EntityReport['deletes'];
  /** Set aside before pulling (failed deletes). */
  readonly quarantined: readonly NewQuarantineEntry[];
  readonly problems?: readonly string[];
  readonly slices: number;
}

/** The records of one slice: staged records by number, or people planned again though unchanged (unified ids). */
export type SliceList = { readonly seqs: readonly number[] } | { readonly unchanged: readonly string[] };
