import { writeFile } from 'node:fs/promises';
import { observeRound } from '../src/report/round-observer.ts';
import { figuresAfter, STAGE_FIELD } from '../src/report/round-report.ts';
import type { RoundFigures } from '../src/store/index.ts';
import type { SyncContext } from '../src/sync/context.ts';
import type { SyncReport } from '../src/sync/round-types.ts';
import { renderReportHtml } from './report-html.ts';

/**
 * Runs a round and counts its report: the state store's people before and after, and what the round read, wrote
 * and set aside on the way; the figures are kept in the run log's summary for `crm-bridge status --run`. A dry run,
 * or a store that cannot count its people, gives the engine's report alone. (The worker counts the same figures
 * from its rounds' steps: `src/report/round-trace.ts`.)
 */
export async function runWithReport(
  ctx: SyncContext,
  dryRun: boolean,
  run: (ctx: SyncContext) => Promise<SyncReport>,
): Promise<{ report: SyncReport; figures: RoundFigures | undefined }> {
  const { store } = ctx;
  if (dryRun || store.census === undefined) return { report: await run(ctx), figures: undefined };
  const before = await store.census('person', STAGE_FIELD);
  const observed = observeRound(ctx, STAGE_FIELD);
  const report = await run(observed.ctx);
  const figures = await figuresAfter(ctx, report, observed.observation, before);
  if (figures !== undefined) await store.saveRunReport?.(report.runId, figures);
  return { report, figures };
}

/** Writes the round report as one self-contained HTML page. */
export async function writeReportHtml(path: string, figures: RoundFigures): Promise<void> {
  await writeFile(path, renderReportHtml(figures), 'utf8');
}
