import type { ObjectFigures, ReadCount, RoundFigures, StagePair } from '../store/index.ts';
import type { SyncReport } from '../sync/round-types.ts';
import { apiFigures } from './api-minimum.ts';
import { funnelFigures } from './funnel.ts';
import type { RoundObservation } from './round-observer.ts';

/** Everything the round report is counted from. */
export interface FiguresInput {
  readonly report: SyncReport;
  readonly observation: RoundObservation;
  /** The connections of the pair: system and write batch size. */
  readonly crms: readonly {
    readonly connection: string;
    readonly system: string;
    readonly batchSize: number;
  }[];
  /** Records read per entity and object, and those of them whose unified record the round acted on. */
  readonly reads: readonly ReadCount[];
  /** People by the stage each CRM of the pair held, before the round and after it. */
  readonly funnel: { readonly before: readonly StagePair[]; readonly after: readonly StagePair[] };
  /** The lifecycle stages in the config's order. */
  readonly stageOrder: readonly string[];
}

/** The round report's figures: per object and system, the lifecycle funnel, API calls against the minimum. */
export function roundFigures(input: FiguresInput): RoundFigures {
  const { report, observation } = input;
  const systemOf = new Map(input.crms.map((c) => [c.connection, c.system]));
  const readOf = new Map(input.reads.map((r) => [`${r.entity}\u0000${r.connection}/${r.object}`, r]));
  const objects: ObjectFigures[] = [];
  for (const [entity, r] of Object.entries(report.entities)) {
    if (r.skipped) continue;
    const targets = new Set([...Object.keys(r.read), ...Object.keys(r.creates), ...Object.keys(r.updates)]);
    for (const target of [...targets].sort()) {
      const [connection = '', object = ''] = target.split('/');
      const read = readOf.get(`${entity}\u0000${target}`) ?? { read: 0, touched: 0 };
      const issues = [...observation.quarantined.values()].filter(
        (e) => e.entity === entity && e.connection === connection && e.object === object,
      );
      const records = (kind: string) =>
        new Set(issues.filter((e) => (e.kind ?? 'held') === kind).map((e) => e.externalId)).size;
      objects.push({
        entity,
        connection,
        system: systemOf.get(connection) ?? connection,
        object,
        pulled: r.read[target] ?? 0,
        created: r.creates[target] ?? 0,
        updated: r.updates[target] ?? 0,
        converted: observation.converted.get(connection)?.byObject.get(object) ?? 0,
        unchanged: read.read - read.touched,
        held: records('held'),
        refused: records('refused'),
        fieldIssues: issues.filter((e) => e.kind === 'field').length,
      });
    }
  }

  const api = input.crms.map(({ connection, system, batchSize }) => {
    const mine = objects.filter((o) => o.connection === connection);
    const byObject = (pick: (o: ObjectFigures) => number) => {
      const out: Record<string, number> = {};
      for (const o of mine) out[`${o.entity}/${o.object}`] = (out[`${o.entity}/${o.object}`] ?? 0) + pick(o);
      return out;
    };
    const written = Object.fromEntries(
      Object.entries(byObject((o) => o.created + o.updated)).filter(([, n]) => n > 0),
    );
    return apiFigures({
      connection,
      system,
      calls: report.apiCalls[connection],
      readByObject: byObject((o) => o.pulled),
      writtenByObject: written,
      converted: mine.reduce((n, o) => n + o.converted, 0),
      batchSize,
    });
  });

  return {
    version: 1,
    runId: report.runId,
    dryRun: report.dryRun,
    durationMs: report.durationMs,
    objects,
    funnel: funnelFigures({
      crms: input.crms,
      before: input.funnel.before,
      after: input.funnel.after,
      order: input.stageOrder,
    }),
    api,
  };
}
