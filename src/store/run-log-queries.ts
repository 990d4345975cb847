import type { Kysely } from 'kysely';
import {
  type RoundFigures,
  RoundFiguresSchema,
  type RunRecord,
  type RunStatus,
  type RunSummary,
} from './run-log.ts';
import { now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';

/* The run log on Kysely: what each round did. */

/** Logs a round as running. */
export async function startRun(db: Kysely<Tables>, id: string, pair: string): Promise<void> {
  await db
    .insertInto('runs')
    .values({ id, pair, started_at: now(), finished_at: null, status: 'running', summary: null })
    // Logged again when a round resumes (its first start may have died before the entry was written): kept as is.
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Logs how a round ended, with its summary. */
export async function finishRun(
  db: Kysely<Tables>,
  id: string,
  status: Exclude<RunStatus, 'running'>,
  summary: RunSummary,
): Promise<void> {
  await db
    .updateTable('runs')
    .set({ status, finished_at: now(), summary: JSON.stringify(summary) })
    .where('id', '=', id)
    .execute();
}

/** Adds the round report's figures to a finished round's summary; a round not finished yet is left alone. */
export async function saveRunReport(db: Kysely<Tables>, id: string, report: RoundFigures): Promise<void> {
  const row = await db.selectFrom('runs').select('summary').where('id', '=', id).executeTakeFirst();
  if (row?.summary === null || row?.summary === undefined) return;
  const summary = { ...(JSON.parse(row.summary) as RunSummary), report: RoundFiguresSchema.parse(report) };
  await db
    .updateTable('runs')
    .set({ summary: JSON.stringify(summary) })
    .where('id', '=', id)
    .execute();
}

type RunRow = Tables['runs'];

/** The latest rounds, newest first. */
export async function listRuns(db: Kysely<Tables>, limit: number): Promise<RunRecord[]> {
  const rows = await db.selectFrom('runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
  return rows.map(recordOf);
}

/** One round by its run id. */
export async function findRun(db: Kysely<Tables>, id: string): Promise<RunRecord | undefined> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : recordOf(row);
}

function recordOf(r: RunRow): RunRecord {
  return {
    id: r.id,
    pair: r.pair,
    startedAt: r.started_at,
    status: r.status as RunRecord['status'],
    ...(r.finished_at === null ? {} : { finishedAt: r.finished_at }),
    ...(r.summary === null ? {} : { summary: summaryOf(r.summary) }),
  };
}

/**
 * A stored summary; its report is kept only when it passes the schema of its version, so that a row written by
 * another version still shows its counts rather than failing the whole listing.
 */
function summaryOf(text: string): RunSummary {
  const { report, ...rest } = JSON.parse(text) as RunSummary & { report?: unknown };
  if (report === undefined) return rest;
  const checked = RoundFiguresSchema.safeParse(report);
  return checked.success ? { ...rest, report: checked.data } : rest;
}
