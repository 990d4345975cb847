import type { BridgeConfig } from '../config/schema.ts';
import type { Census, RoundFigures } from '../store/index.ts';
import type { SyncContext } from '../sync/context.ts';
import { profileOf } from '../sync/person-objects.ts';
import type { SyncReport } from '../sync/round-types.ts';
import { roundFigures } from './round-figures.ts';
import type { RoundObservation } from './round-observer.ts';

/** The unified field the lifecycle funnel counts. */
export const STAGE_FIELD = 'lifecycleStage';

/** The stages in the order the config's lifecycle value map lists them. */
export function stageOrder(config: BridgeConfig): string[] {
  const field = config.objects.person?.fields.find((f) => f.unified === STAGE_FIELD);
  const map = field?.values === undefined ? undefined : config.valueMaps[field.values];
  return Object.keys(map ?? {}).filter((key) => key !== 'fallback' && key !== 'passthrough');
}

/**
 * The round report of a committed round, however it ran (in one process, or as jobs on any worker): counted from
 * what its steps observed and the people the state store held before it, against those it holds now.
 */
export async function figuresAfter(
  ctx: SyncContext,
  report: SyncReport,
  observation: RoundObservation,
  before: Census,
): Promise<RoundFigures | undefined> {
  if (ctx.store.census === undefined) return undefined;
  const after = await ctx.store.census('person', STAGE_FIELD);
  return roundFigures({
    report,
    observation,
    crms: ctx.config.sync.pair.map((connection) => ({
      connection,
      system: String(ctx.config.connections[connection]?.system),
      batchSize: profileOf(ctx.config, connection).batchSize,
    })),
    before,
    after,
    stageOrder: stageOrder(ctx.config),
  });
}
