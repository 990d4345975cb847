import * as z from 'zod';
import type { EntityName } from '../model/index.ts';
import { type Census, keyOf, type NewQuarantineEntry, type RoundFigures } from '../store/index.ts';
import type { SyncContext } from '../sync/context.ts';
import type { RoundKeeper } from '../sync/round-keeper.ts';
import type { SyncReport } from '../sync/round-types.ts';
import { emptyObservation, observeRound, personObject, type RoundObservation } from './round-observer.ts';
import { figuresAfter, STAGE_FIELD } from './round-report.ts';

/*
 * The round report of a round whose steps run as jobs: each step runs in whichever worker takes it, so what
 * `sync --once` observes in one process is kept here with the round's other parts in the state store (never in
 * Redis: they hold ids and stages), step by step, and counted once the round commits. The parts are dropped with
 * the round's.
 */

/** Keys of the report's parts among a round's saved state. */
const KEYS = {
  before: 'report/before',
  plan: (entity: EntityName, slice: number) => `report/plan/${entity}/${slice}`,
  record: (entity: EntityName, slice: number) => `report/record/${entity}/${slice}`,
  all: 'report/',
} as const;

const Key = z.object({ connection: z.string(), object: z.string(), externalId: z.string() });
const CensusPart = z.object({
  values: z.array(z.tuple([z.string(), z.unknown()])),
  /** `[unifiedId, connection, object, externalId]` (an earlier version kept an object per link: it is read too). */
  links: z.array(
    z.union([
      z
        .tuple([z.string(), z.string(), z.string(), z.string()])
        .transform(([unifiedId, connection, object, externalId]) => ({
          unifiedId,
          connection,
          object,
          externalId,
        })),
      z.object({ unifiedId: z.string(), ...Key.shape }),
    ]),
  ),
  outOfStep: z.array(z.string()),
});
/** What the plan step of an entity read: pages and records per object, and each person's stage as read. */
const PlanPart = z.object({
  pulled: z.array(z.tuple([z.string(), z.object({ records: z.number(), pages: z.number() })])),
  /** Each record read, with its entity (an earlier version kept `{ entity, key }`: it is read too). */
  read: z.array(
    z.tuple([
      z.string(),
      z.union([z.string(), z.object({ entity: z.string(), key: Key }).transform((r) => r.entity)]),
    ]),
  ),
  stagesRead: z.array(z.tuple([z.string(), z.unknown()])),
});
/** What an entity's batches wrote and converted, and what its record step set aside. */
const RecordPart = z.object({
  written: z.array(z.tuple([z.string(), z.string()])),
  converted: z.array(z.tuple([z.string(), z.string(), z.number()])),
  convertedKeys: z.array(z.string()),
  quarantined: z.array(z.looseObject({ entity: z.string(), ...Key.shape, field: z.string() })),
});

/** The report's parts of a round, read back before the round's state is dropped. */
export interface RoundTrace {
  readonly before: Census;
  readonly observation: RoundObservation;
}

/** At a round's first step, before anything is written: the people as the state store holds them (kept once). */
export async function traceStart(ctx: SyncContext, runId: string): Promise<void> {
  const { store } = ctx;
  if (store.census === undefined) return;
  if ((await store.roundState(runId, KEYS.before)).length > 0) return;
  const census = await store.census('person', STAGE_FIELD);
  const part: z.input<typeof CensusPart> = {
    values: [...census.values],
    links: census.links.map((l) => [l.unifiedId, l.connection, l.object, l.externalId]),
    outOfStep: [...census.outOfStep],
  };
  await store.saveRoundState(runId, [{ key: KEYS.before, body: part }]);
}

/**
 * A step's context whose pulls and quarantine are observed; `keepPlan` saves what the plan step read (unless an
 * earlier attempt of the step saved it: a redone plan step reads nothing), `keepRecord` what the record step set
 * aside, with what the entity's batches wrote and converted.
 */
export function traceStep(ctx: SyncContext, runId: string, entity: EntityName, slice = 0) {
  const observed = observeRound(ctx, STAGE_FIELD);
  const seen = observed.observation;
  const saved = async (key: string) => (await ctx.store.roundState(runId, key)).some((e) => e.key === key);
  return {
    ctx: observed.ctx,
    async keepPlan(): Promise<void> {
      if (await saved(KEYS.plan(entity, slice))) return;
      const part: z.infer<typeof PlanPart> = {
        pulled: [...seen.pulled],
        read: [...seen.read],
        stagesRead: [...seen.stagesRead],
      };
      await ctx.store.saveRoundState(runId, [{ key: KEYS.plan(entity, slice), body: part }]);
    },
    async keepRecord(keeper: RoundKeeper): Promise<void> {
      // A redone record step finds its slice settled (its batches dropped): what it kept stands.
      if (await saved(KEYS.record(entity, slice))) return;
      const part: z.infer<typeof RecordPart> = {
        written: [],
        converted: [],
        convertedKeys: [],
        quarantined: [...seen.quarantined.values()],
      };
      const batches = (await keeper.pending(runId, entity, slice))?.batches ?? [];
      // Every batch has its outcome by now (the record step checked), in batch order.
      const outcomes = await keeper.outcomes(runId, entity, slice);
      for (const [n, info] of batches.entries()) {
        const outcome = outcomes[n];
        if (outcome === undefined) continue;
        // Created or updated: the report only asks whether the round wrote to a record.
        for (const w of outcome.written) part.written.push([`${w.connection}/${w.object}`, w.externalId]);
        if (!info.conversions) continue;
        const object = personObject(ctx, info.connection);
        part.converted.push([info.connection, object, outcome.converted]);
        const failed = new Set(outcome.failed);
        for (const c of (await keeper.batch(runId, entity, slice, n))?.conversions ?? [])
          if (!failed.has(c.unifiedId))
            part.convertedKeys.push(
              keyOf({ connection: c.connection, object, externalId: c.conversion.personId }),
            );
      }
      await ctx.store.saveRoundState(runId, [{ key: KEYS.record(entity, slice), body: part }]);
    },
  };
}

/** The report's parts of a round, as its steps kept them; undefined when the store keeps no census. */
export async function readTrace(ctx: SyncContext, runId: string): Promise<RoundTrace | undefined> {
  const parts = new Map((await ctx.store.roundState(runId, KEYS.all)).map((e) => [e.key, e.body] as const));
  const stored = parts.get(KEYS.before);
  if (stored === undefined) return undefined;
  const census = CensusPart.parse(stored);
  const before: Census = {
    values: new Map(census.values),
    links: census.links,
    outOfStep: new Set(census.outOfStep),
  };
  const observation = emptyObservation();
  for (const [key, body] of parts) {
    if (key.startsWith('report/plan/')) {
      const plan = PlanPart.parse(body);
      for (const [at, n] of plan.pulled) observation.pulled.set(at, n);
      for (const [k, entity] of plan.read) observation.read.set(k, entity as EntityName);
      for (const [k, stage] of plan.stagesRead) observation.stagesRead.set(k, stage);
    } else if (key.startsWith('report/record/')) {
      const record = RecordPart.parse(body);
      for (const [at, id] of record.written) {
        const pushed = observation.pushed.get(at) ?? { calls: 0, created: new Set(), updated: new Set() };
        pushed.updated.add(id);
        observation.pushed.set(at, pushed);
      }
      for (const [connection, object, n] of record.converted) {
        const converted = observation.converted.get(connection) ?? { calls: 0, byObject: new Map() };
        converted.calls += 1;
        converted.byObject.set(object, (converted.byObject.get(object) ?? 0) + n);
        observation.converted.set(connection, converted);
      }
      for (const k of record.convertedKeys) observation.convertedKeys.add(k);
      for (const e of record.quarantined) {
        const entry = e as unknown as NewQuarantineEntry;
        observation.quarantined.set(
          `${keyOf(entry)}\u0000${entry.field}\u0000${entry.kind ?? 'held'}`,
          entry,
        );
      }
    }
  }
  return { before, observation };
}

/** The figures of a committed round from its trace, kept in the run log as `sync --once` keeps them. */
export async function saveTraceFigures(
  ctx: SyncContext,
  report: SyncReport,
  trace: RoundTrace,
): Promise<RoundFigures | undefined> {
  const figures = await figuresAfter(ctx, report, trace.observation, trace.before);
  if (figures !== undefined) await ctx.store.saveRunReport?.(report.runId, figures);
  return figures;
}
