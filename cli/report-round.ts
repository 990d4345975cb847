import { writeFile } from 'node:fs/promises';
import { descriptorOf } from '../connectors/index.ts';
import type { BridgeConfig } from '../src/config/schema.ts';
import { roundFigures } from '../src/report/round-figures.ts';
import { observeRound } from '../src/report/round-observer.ts';
import type { RoundFigures } from '../src/store/index.ts';
import type { SyncContext } from '../src/sync/context.ts';
import type { SyncReport } from '../src/sync/round-types.ts';
import { renderReportHtml } from './report-html.ts';

/** The unified field the lifecycle funnel counts. */
const STAGE_FIELD = 'lifecycleStage';

/**
 * Runs a round and counts its report: the state store's people before and after, and what the round read, wrote
 * and set aside on the way; the figures are kept in the run log's summary for `crm-bridge status --run`. A dry run,
 * or a store that cannot count its people, gives the engine's report alone.
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
  const after = await store.census('person', STAGE_FIELD);
  const figures = roundFigures({
    report,
    observation: observed.observation,
    crms: ctx.config.sync.pair.map((connection) => {
      const system = String(ctx.config.connections[connection]?.system);
      return { connection, system, batchSize: descriptorOf(system).batchSize };
    }),
    before,
    after,
    stageOrder: stageOrder(ctx.config),
  });
  await store.saveRunReport?.(report.runId, figures);
  return { report, figures };
}

/** The stages in the order the config's lifecycle value map lists them. */
export function stageOrder(config: BridgeConfig): string[] {
  const field = config.objects.person?.fields.find((f) => f.unified === STAGE_FIELD);
  const map = field?.values === undefined ? undefined : config.valueMaps[field.values];
  return Object.keys(map ?? {}).filter((key) => key !== 'fallback' && key !== 'passthrough');
}

/** Writes the round report as one self-contained HTML page. */
export async function writeReportHtml(path: string, figures: RoundFigures): Promise<void> {
  await writeFile(path, renderReportHtml(figures), 'utf8');
}
