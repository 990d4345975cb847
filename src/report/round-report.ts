import type { BridgeConfig } from '../config/schema.ts';
import { type RoundFigures, STAGE_FIELD } from '../store/index.ts';
import type { SyncContext } from '../sync/context.ts';
import { objectsOf } from '../sync/field-table.ts';
import { profileOf } from '../sync/person-objects.ts';
import type { SyncReport } from '../sync/round-types.ts';
import { roundFigures } from './round-figures.ts';
import type { RoundObservation } from './round-observer.ts';

/** The unified field the lifecycle funnel counts. */
export { STAGE_FIELD };

/** The stages in the order the config's lifecycle value map lists them. */
export function stageOrder(config: BridgeConfig): string[] {
  const field = config.objects.person?.fields.find((f) => f.unified === STAGE_FIELD);
  const map = field?.values === undefined ? undefined : config.valueMaps[field.values];
  return Object.keys(map ?? {}).filter((key) => key !== 'fallback' && key !== 'passthrough');
}

/** Per connection of the pair, its person objects in the order the config lists them. */
function personObjects(config: BridgeConfig): { connection: string; object: string }[] {
  return config.sync.pair.flatMap((connection) =>
    objectsOf(config, 'person', connection).map((object) => ({ connection, object })),
  );
}

/**
 * The round report of a committed round, however it ran (in one process, or as jobs on any worker): counted from
 * what its steps observed and its rows in the state store (`runId`'s, see `RoundReportStore`): the people as the
 * round began, the records it read and acted on, against the people the store holds now.
 */
export async function figuresAfter(
  ctx: SyncContext,
  report: SyncReport,
  observation: RoundObservation,
  runId: string,
): Promise<RoundFigures | undefined> {
  const rows = ctx.store.report;
  if (rows === undefined) return undefined;
  const [a, b] = ctx.config.sync.pair;
  const funnel = await rows.reportFunnel(runId, {
    entity: 'person',
    field: STAGE_FIELD,
    pair: [a, b],
    objects: personObjects(ctx.config),
  });
  return roundFigures({
    report,
    observation,
    crms: ctx.config.sync.pair.map((connection) => ({
      connection,
      system: String(ctx.config.connections[connection]?.system),
      batchSize: profileOf(ctx.config, connection).batchSize,
    })),
    reads: await rows.reportReads(runId),
    funnel,
    stageOrder: stageOrder(ctx.config),
  });
}
