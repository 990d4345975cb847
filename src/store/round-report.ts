import type { EntityName } from '../model/index.ts';
import type { ExternalKey } from './external-key.ts';

/*
 * What the round report is counted from, kept in the state store rather than in the process: the people as the
 * store held them when the round began, every record the round read (with the stage a person record held), and every
 * record it acted on. The figures are counted from them with SQL, so that a round over a million people holds no
 * per-person state in memory. A round's rows are dropped once its figures are kept.
 */

/** A record the round read: its entity, and for a person record the stage it held (`null` when blank). */
export interface ReadMark extends ExternalKey {
  readonly entity: EntityName;
  readonly stage?: string | null;
}

/** What the funnel is counted over: the pair's connections and, per connection, its person objects in order. */
export interface FunnelQuery {
  readonly entity: EntityName;
  /** The unified field counted (`lifecycleStage`). */
  readonly field: string;
  readonly pair: readonly [string, string];
  /**
   * A person with two records in one CRM (a converted Lead and its Contact) counts once: a record the round read
   * before one it did not, then the record of the object listed later here (the Contact), then the greater id.
   */
  readonly objects: readonly { readonly connection: string; readonly object: string }[];
}

/** People by the stage each CRM of the pair holds for them (`null`: not in that CRM, as far as the round knows). */
export interface StagePair {
  readonly a: string | null;
  readonly b: string | null;
  readonly people: number;
}

/** Per entity, CRM object: the records the round read, and those of them whose unified record it acted on. */
export interface ReadCount {
  readonly entity: string;
  readonly connection: string;
  readonly object: string;
  readonly read: number;
  readonly touched: number;
}

export interface RoundReportStore {
  /**
   * Copies the people as the store holds them now (each link with its person's stage, and the records whose open
   * quarantine entries mean the stage may not be in step), once per round: a round begun before is left as it is.
   */
  beginReport(runId: string, entity: EntityName, field: string): Promise<void>;
  /** Whether a round's report was begun (its people copied). */
  reportBegun(runId: string): Promise<boolean>;
  /** Marks records read; a record read again keeps the stage read last. */
  markRead(runId: string, records: readonly ReadMark[]): Promise<void>;
  /** Marks records the round wrote, converted or set aside. */
  markTouched(runId: string, keys: readonly ExternalKey[]): Promise<void>;
  /** The funnel before the round (as it began, with the stages it read) and after it (the store now). */
  reportFunnel(runId: string, query: FunnelQuery): Promise<{ before: StagePair[]; after: StagePair[] }>;
  /** Records read per entity and object, and how many of them belong to a unified record the round acted on. */
  reportReads(runId: string): Promise<ReadCount[]>;
  /** Drops a round's report rows, and those of rounds begun before `staleBefore` (given up, or their process died). */
  dropReport(runId: string, staleBefore?: Date): Promise<void>;
}

/**
 * The unified field the round report counts. The state store keeps each merged record's value of it in a column of
 * its own (`snapshots.stage`), so that counting a million people reads no record.
 */
export const STAGE_FIELD = 'lifecycleStage';

/** The text of a stage value as the store keeps it: `null` when blank. */
export function stageText(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}

/** The label of a person with no stage. */
export const NO_STAGE = 'none';
/** The label of a person whose record in that CRM is held, was refused, or has an open issue on its stage. */
export const NOT_IN_STEP = 'not in step';
