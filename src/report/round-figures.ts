import { type Census, keyOf, type ObjectFigures, type RoundFigures } from '../store/index.ts';
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
  /** People as the state store held them before the round, and after. */
  readonly before: Census;
  readonly after: Census;
  /** The lifecycle stages in the config's order. */
  readonly stageOrder: readonly string[];
}

/** The `connection/object` of a record's key (`connection/object/externalId`; an id may hold a slash). */
const targetOf = (key: string) => key.slice(0, key.indexOf('/', key.indexOf('/') + 1));

/** The round report's figures: per object and system, the lifecycle funnel, API calls against the minimum. */
export function roundFigures(input: FiguresInput): RoundFigures {
  const { report, observation } = input;
  const systemOf = new Map(input.crms.map((c) => [c.connection, c.system]));
  // A unified record the round acted on: written somewhere, converted, or set aside. Each record is looked up by
  // going once over the links, without a map of them all: a store of a million people has two million.
  const acted = new Set<string>(observation.convertedKeys);
  for (const e of observation.quarantined.values()) acted.add(keyOf(e));
  const wrote = (connection: string, object: string, id: string) => {
    const pushed = observation.pushed.get(`${connection}/${object}`);
    return pushed !== undefined && (pushed.created.has(id) || pushed.updated.has(id));
  };
  const touched = new Set<string>();
  for (const l of input.after.links)
    if (wrote(l.connection, l.object, l.externalId) || acted.has(keyOf(l))) touched.add(l.unifiedId);
  // Per entity and `connection/object`: the records read, and those of them whose unified record was touched.
  const readOf = new Map<string, { read: number; touched: number }>();
  const countOf = (entity: string, target: string) => {
    const at = `${entity}\u0000${target}`;
    const count = readOf.get(at) ?? { read: 0, touched: 0 };
    readOf.set(at, count);
    return count;
  };
  for (const [key, entity] of observation.read) countOf(entity, targetOf(key)).read += 1;
  for (const l of input.after.links) {
    if (!touched.has(l.unifiedId)) continue;
    const key = keyOf(l);
    const entity = observation.read.get(key);
    if (entity !== undefined) countOf(entity, targetOf(key)).touched += 1;
  }

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
      before: input.before,
      after: input.after,
      read: observation.stagesRead,
      order: input.stageOrder,
    }),
    api,
  };
}
