import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { marksIn, observeRound } from '../src/report/round-observer.ts';
import { figuresAfter, STAGE_FIELD } from '../src/report/round-report.ts';
import type { RoundFigures } from '../src/store/index.ts';
import type { SyncContext } from '../src/sync/context.ts';
import { staleBefore } from '../src/sync/round-steps.ts';
import type { SyncReport } from '../src/sync/round-types.ts';
import { renderReportHtml } from './report-html.ts';

/**
 * Runs a round and counts its report: the people as the state store held them when it began, and what the round
 * read, wrote and set aside on the way, are kept as the report's rows in the state store and counted there once the
 * round commits, so that the command's memory does not grow with the people; the figures are kept in the run log's
 * summary for `crm-bridge status --run`. A dry run, or a store that cannot count its people, gives the engine's
 * report alone. (The worker counts the same figures from its rounds' steps: `src/report/round-trace.ts`.)
 */
export async function runWithReport(
  ctx: SyncContext,
  dryRun: boolean,
  run: (ctx: SyncContext) => Promise<SyncReport>,
): Promise<{ report: SyncReport; figures: RoundFigures | undefined }> {
  const { store } = ctx;
  const rows = store.report;
  if (dryRun || rows === undefined) return { report: await run(ctx), figures: undefined };
  // The rows are the report's own, by an id of their own: the round's run id is made inside the round.
  const reportId = randomUUID();
  await rows.beginReport(reportId, 'person', STAGE_FIELD);
  try {
    const observed = observeRound(ctx, STAGE_FIELD, marksIn(rows, reportId));
    const report = await run(observed.ctx);
    const figures = await figuresAfter(ctx, report, observed.observation, reportId);
    if (figures !== undefined) await store.saveRunReport?.(report.runId, figures);
    return { report, figures };
  } finally {
    // A failure to drop them does not hide how the round went: rows left are dropped with stale ones next time.
    await rows.dropReport(reportId, staleBefore()).catch(() => undefined);
  }
}

/** Writes the round report as one self-contained HTML page. */
export async function writeReportHtml(path: string, figures: RoundFigures): Promise<void> {
  await writeFile(path, renderReportHtml(figures), 'utf8');
}
