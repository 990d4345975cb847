import * as z from 'zod';
import { RoundState } from '../src/sync/round-keeper.ts';

const connectionName = z.string().regex(/^[a-z][a-z0-9_]*$/);

/**
 * A sync job's data. It names what to sync, never how to reach it: no credentials, no URLs, no record values.
 * The worker finds the connections' settings in its own config and environment.
 */
export const SyncJobData = z.strictObject({
  /** The pair id, e.g. `sf-hs`. */
  pair: z.string().regex(/^[a-z][a-z0-9_]*-[a-z][a-z0-9_]*$/),
  connections: z.tuple([connectionName, connectionName]),
  /** What asked for the round: its schedule, an operator, or a replay of quarantined records. */
  trigger: z.enum(['schedule', 'manual', 'replay']),
  /**
   * Where a round whose pushes run as jobs got to: its run id (the pair lock's owner and the key of its state in the
   * store), the entity it is at and the step. Absent until the round starts.
   */
  round: RoundState.optional(),
});
export type SyncJobData = z.infer<typeof SyncJobData>;

/** What a finished sync job keeps in Redis: counts only (a round's report has record values in its samples). */
export const SyncJobResult = z.union([
  z.strictObject({
    runId: z.string(),
    durationMs: z.number(),
    /** API calls the round made, per connection. */
    apiCalls: z.record(z.string(), z.number()),
    /** Per entity: records read, changed, created, updated, converted, quarantined. */
    entities: z.record(z.string(), z.record(z.string(), z.number())),
  }),
  z.strictObject({ skipped: z.string() }),
]);
export type SyncJobResult = z.infer<typeof SyncJobResult>;

/**
 * A push batch's job data: which round, entity, slice of its records and batch; the writes themselves wait in the
 * state store.
 */
export const PushJobData = z.strictObject({
  pair: SyncJobData.shape.pair,
  runId: z.uuid(),
  entity: z.enum(['account', 'opportunity', 'person']),
  slice: z.int().nonnegative().default(0),
  batch: z.int().nonnegative(),
});
export type PushJobData = z.infer<typeof PushJobData>;

/** What a push job keeps in Redis: counts only. */
export const PushJobResult = z.union([
  z.strictObject({
    written: z.int(),
    converted: z.int(),
    failed: z.int(),
    apiCalls: z.record(z.string(), z.number()),
  }),
  z.strictObject({ skipped: z.string() }),
]);
export type PushJobResult = z.infer<typeof PushJobResult>;

/**
 * A slice step's job data: which round, entity and slice, and whether to plan or to record it. The slice's records
 * and plan wait in the state store.
 */
export const SliceJobData = z.strictObject({
  pair: SyncJobData.shape.pair,
  runId: z.uuid(),
  entity: PushJobData.shape.entity,
  slice: z.int().nonnegative(),
  step: z.enum(['plan', 'record']),
});
export type SliceJobData = z.infer<typeof SliceJobData>;

/** What a slice step keeps in Redis: the API calls it made. */
export const SliceJobResult = z.union([
  z.strictObject({ apiCalls: z.record(z.string(), z.number()) }),
  z.strictObject({ skipped: z.string() }),
]);
export type SliceJobResult = z.infer<typeof SliceJobResult>;
