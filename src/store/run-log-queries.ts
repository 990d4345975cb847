import type { Kysely } from 'kysely';
import type { RunRecord, RunStatus, RunSummary } from './run-log.ts';
import { now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';

/* The run log on Kysely: what each round did. */

/** Logs a round as running. */
export async function startRun(db: Kysely<Tables>, id: string, pair: string): Promise<void> {
  await db
    .insertInto('runs')
    .values({ id, pair, started_at: now(), finished_at: null, status: 'running', summary: null })
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

/** The latest rounds, newest first. */
export async function listRuns(db: Kysely<Tables>, limit: number): Promise<RunRecord[]> {
  const rows = await db.selectFrom('runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    pair: r.pair,
    startedAt: r.started_at,
    status: r.status as RunRecord['status'],
    ...(r.finished_at === null ? {} : { finishedAt: r.finished_at }),
    ...(r.summary === null ? {} : { summary: JSON.parse(r.summary) as RunSummary }),
  }));
}
