import * as z from 'zod';
import type { EntityName } from '../model/index.ts';
import { keyOf, type NewQuarantineEntry, type RoundFigures } from '../store/index.ts';
import type { SyncContext } from '../sync/context.ts';
import type { RoundKeeper } from '../sync/round-keeper.ts';
import { staleBefore } from '../sync/round-steps.ts';
import type { SyncReport } from '../sync/round-types.ts';
import {
  emptyObservation,
  marksIn,
  observeRound,
  personObject,
  type RoundObservation,
} from './round-observer.ts';
import { figuresAfter, STAGE_FIELD } from './round-report.ts';

/*
 * The round report of a round whose steps run as jobs: each step runs in whichever worker takes it. The report's
 * rows (the people as the round began, each record read and acted on) are kept in the state store by the run id
 * (`RoundReportStore`); what a step counts beside them (pages pulled, conversions, quarantine entries raised) is
 * kept with the round's other parts (never in Redis: they hold ids), and counted once the round commits. The parts
 * are dropped with the round's, the rows once its figures are kept.
 */

/** Keys of the report's parts among a round's saved state. */
const KEYS = {
  plan: (entity: EntityName, slice: number) => `report/plan/${entity}/${slice}`,
  record: (entity: EntityName, slice: number) => `report/record/${entity}/${slice}`,
  all: 'report/',
} as const;

const Key = z.object({ connection: z.string(), object: z.string(), externalId: z.string() });
/** What the plan step of an entity read: pages and records per object. */
const PlanPart = z.object({
  pulled: z.array(z.tuple([z.string(), z.object({ records: z.number(), pages: z.number() })])),
});
/** What an entity's batches converted, and what its record step set aside. */
const RecordPart = z.object({
  converted: z.array(z.tuple([z.string(), z.string(), z.number()])),
  quarantined: z.array(z.looseObject({ entity: z.string(), ...Key.shape, field: z.string() })),
});

/** What a round's steps observed, read back before the round's state is dropped. */
export interface RoundTrace {
  readonly runId: string;
  readonly observation: RoundObservation;
}

/** At a round's first step, before anything is written: the people as the state store holds them (kept once). */
export async function traceStart(ctx: SyncContext, runId: string): Promise<void> {
  await ctx.store.report?.beginReport(runId, 'person', STAGE_FIELD);
}

/**
 * A step's context whose pulls and quarantine are observed (each record read is marked as it is read);
 * `keepPlan` saves what the plan step pulled (unless an earlier attempt of the step saved it: a redone plan step
 * reads nothing), `keepRecord` what the record step set aside, with what the entity's batches wrote and converted.
 */
export function traceStep(ctx: SyncContext, runId: string, entity: EntityName, slice = 0) {
  const rows = ctx.store.report;
  const observed =
    rows === undefined
      ? { ctx, observation: emptyObservation() }
      : observeRound(ctx, STAGE_FIELD, marksIn(rows, runId));
  const seen = observed.observation;
  const saved = async (key: string) => (await ctx.store.roundState(runId, key)).some((e) => e.key === key);
  return {
    ctx: observed.ctx,
    async keepPlan(): Promise<void> {
      if (rows === undefined || (await saved(KEYS.plan(entity, slice)))) return;
      const part: z.infer<typeof PlanPart> = { pulled: [...seen.pulled] };
      await ctx.store.saveRoundState(runId, [{ key: KEYS.plan(entity, slice), body: part }]);
    },
    async keepRecord(keeper: RoundKeeper): Promise<void> {
      // A redone record step finds its slice settled (its batches dropped): what it kept stands.
      if (rows === undefined || (await saved(KEYS.record(entity, slice)))) return;
      const part: z.infer<typeof RecordPart> = { converted: [], quarantined: [...seen.quarantined.values()] };
      const batches = (await keeper.pending(runId, entity, slice))?.batches ?? [];
      // Every batch has its outcome by now (the record step checked), in batch order.
      const outcomes = await keeper.outcomes(runId, entity, slice);
      for (const [n, info] of batches.entries()) {
        const outcome = outcomes[n];
        if (outcome === undefined) continue;
        // Created or updated: the report only asks whether the round wrote to a record.
        await rows.markTouched(runId, outcome.written);
        if (!info.conversions) continue;
        const object = personObject(ctx, info.connection);
        part.converted.push([info.connection, object, outcome.converted]);
        const failed = new Set(outcome.failed);
        const converted = ((await keeper.batch(runId, entity, slice, n))?.conversions ?? []).filter(
          (c) => !failed.has(c.unifiedId),
        );
        await rows.markTouched(
          runId,
          converted.map((c) => ({ connection: c.connection, object, externalId: c.conversion.personId })),
        );
      }
      await ctx.store.saveRoundState(runId, [{ key: KEYS.record(entity, slice), body: part }]);
    },
  };
}

/**
 * What a round's steps observed, as they kept it; undefined when the store keeps no report rows or the round's
 * were not begun (a round begun by a version that kept its report otherwise).
 */
export async function readTrace(ctx: SyncContext, runId: string): Promise<RoundTrace | undefined> {
  if (!((await ctx.store.report?.reportBegun(runId)) ?? false)) return undefined;
  const observation = emptyObservation();
  for (const { key, body } of await ctx.store.roundState(runId, KEYS.all)) {
    if (key.startsWith('report/plan/')) {
      for (const [at, n] of PlanPart.parse(body).pulled) observation.pulled.set(at, n);
    } else if (key.startsWith('report/record/')) {
      const record = RecordPart.parse(body);
      for (const [connection, object, n] of record.converted) {
        const converted = observation.converted.get(connection) ?? { calls: 0, byObject: new Map() };
        converted.calls += 1;
        converted.byObject.set(object, (converted.byObject.get(object) ?? 0) + n);
        observation.converted.set(connection, converted);
      }
      for (const e of record.quarantined) {
        const entry = e as unknown as NewQuarantineEntry;
        observation.quarantined.set(
          `${keyOf(entry)}\u0000${entry.field}\u0000${entry.kind ?? 'held'}`,
          entry,
        );
      }
    }
  }
  return { runId, observation };
}

/** The figures of a committed round from its trace, kept in the run log as `sync --once` keeps them. */
export async function saveTraceFigures(
  ctx: SyncContext,
  report: SyncReport,
  trace: RoundTrace,
): Promise<RoundFigures | undefined> {
  const figures = await figuresAfter(ctx, report, trace.observation, trace.runId);
  if (figures !== undefined) await ctx.store.saveRunReport?.(report.runId, figures);
  return figures;
}

/** Drops a round's report rows (once its figures are kept, or it was given up), and those gone stale. */
export async function dropTrace(ctx: SyncContext, runId: string): Promise<void> {
  await ctx.store.report?.dropReport(runId, staleBefore());
}
