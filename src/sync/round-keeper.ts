import * as z from 'zod';
import { ENTITIES, type EntityName } from '../model/index.ts';
import type { RoundStateStore } from '../store/index.ts';
import { emptyPlan } from './plan-types.ts';
import type { PlanBatch, StoredOutcome } from './push.ts';
import type { EntityReport, EntityStage, PlannedEntity, SliceList, StagedRecord } from './round-types.ts';

/**
 * Where a round got to between two steps: plain data, checked with zod wherever it is read back (a sync job's
 * data in Redis). One process running a round keeps it in a variable.
 */
export const RoundState = z.strictObject({
  /** The run's id: the run log's key, the pair lock's owner and the key of its saved parts. */
  runId: z.uuid(),
  /** The entity, as an index into the round order of the entities the config syncs. */
  index: z.int().nonnegative(),
  /**
   * The slice of the entity's records an earlier version's round got to (it took a large window's slices one after
   * another); the slices are now taken side by side, and this is 0.
   */
  slice: z.int().nonnegative().optional(),
  /**
   * `plan` the entity's first slice; `slices` wait for the other slices' plans; `convert` wait for the first push
   * batches; `record` wait for the late ones; `recorded` wait for the slices' record steps; `commit`.
   */
  step: z.enum(['plan', 'slices', 'convert', 'record', 'recorded', 'commit']),
  /** When the round started (ms since the epoch). */
  startedAt: z.number(),
  /** API calls the round's own steps made so far, per connection (push batches report theirs). */
  calls: z.record(z.string(), z.number()),
});
export type RoundState = z.infer<typeof RoundState>;

/** Which batch of an entity's plan goes when: its writes' connection (none for conversions), and its phase. */
export const BatchInfo = z.strictObject({
  /** The connection the batch writes to or converts in. */
  connection: z.string(),
  /** A batch of conversions rather than writes. */
  conversions: z.boolean(),
  /**
   * The batch waits for the entity's other writes: its conversions (a Lead being converted cannot be updated), or
   * writes that carry the id of a record the others create.
   */
  late: z.boolean(),
});
export type BatchInfo = z.infer<typeof BatchInfo>;

/** An entity's plan as kept between the steps: the planned entity without its writes, and its batches. */
export type StoredPending = PlannedEntity & { readonly batches: readonly BatchInfo[] };

/**
 * What the steps of a round hand each other: in memory when one process runs the round, in the state store when its
 * steps run as jobs on any worker. Every part read back from the store is checked (`PARTS`), so a part written by
 * another version, or damaged, fails its step with the part named instead of going on with the wrong shape.
 */
export interface RoundKeeper {
  savePlan(
    runId: string,
    entity: EntityName,
    slice: number,
    pending: StoredPending,
    batches: readonly PlanBatch[],
  ): Promise<void>;
  pending(runId: string, entity: EntityName, slice: number): Promise<StoredPending | undefined>;
  batch(runId: string, entity: EntityName, slice: number, n: number): Promise<PlanBatch | undefined>;
  /** Marks a batch's push as started; true when it had been started before (by an attempt that died). */
  startBatch(runId: string, entity: EntityName, slice: number, n: number): Promise<boolean>;
  saveOutcome(
    runId: string,
    entity: EntityName,
    slice: number,
    n: number,
    outcome: StoredOutcome,
  ): Promise<void>;
  outcomes(runId: string, entity: EntityName, slice: number): Promise<StoredOutcome[]>;
  /** The outcomes of these batches of the slice, of those that have one, in the order given. */
  outcomesOf(
    runId: string,
    entity: EntityName,
    slice: number,
    batches: readonly number[],
  ): Promise<StoredOutcome[]>;
  saveReport(runId: string, entity: EntityName, slice: number, report: EntityReport): Promise<void>;
  report(runId: string, entity: EntityName, slice: number): Promise<EntityReport | undefined>;
  /** The reports of every slice of the entity recorded so far, in slice order. */
  reports(runId: string, entity: EntityName): Promise<EntityReport[]>;
  /**
   * Once a slice is recorded: drops its batches, their outcomes and its staged records, and keeps of its plan only
   * what later steps read (its cursors, deal accounts and people, slice count).
   */
  settle(runId: string, entity: EntityName, slice: number): Promise<void>;
  /** Keeps a large pull window's records out of memory until their slice is planned. */
  readonly staging: Staging;
  /** Drops the round's parts (and, in the store, those of rounds abandoned before `staleBefore`). */
  drop(runId: string, staleBefore?: Date): Promise<void>;
}

/** Where a large pull window's records wait for their slice, and what its pull found. */
export interface Staging {
  saveRecords(
    runId: string,
    entity: EntityName,
    records: readonly StagedRecord[],
    first: number,
  ): Promise<void>;
  /** The staged records of these numbers, in that order. */
  records(runId: string, entity: EntityName, seqs: readonly number[]): Promise<StagedRecord[]>;
  dropRecords(runId: string, entity: EntityName, seqs: readonly number[]): Promise<void>;
  /** Saves what the pull found and its slices, once every record is staged. */
  saveStage(
    runId: string,
    entity: EntityName,
    stage: EntityStage,
    slices: readonly SliceList[],
  ): Promise<void>;
  stage(runId: string, entity: EntityName): Promise<EntityStage | undefined>;
  slice(runId: string, entity: EntityName, slice: number): Promise<SliceList | undefined>;
}

/** Keys of a round's parts in the state store; they sort in slice and batch order. */
const pad = (n: number) => String(n).padStart(5, '0');
export const roundKeys = {
  pending: (entity: EntityName, slice: number) => `p/${entity}/${pad(slice)}`,
  batch: (entity: EntityName, slice: number, n: number) => `b/${entity}/${pad(slice)}/${pad(n)}`,
  started: (entity: EntityName, slice: number, n: number) => `s/${entity}/${pad(slice)}/${pad(n)}`,
  outcome: (entity: EntityName, slice: number, n: number) => `o/${entity}/${pad(slice)}/${pad(n)}`,
  outcomes: (entity: EntityName, slice: number) => `o/${entity}/${pad(slice)}/`,
  report: (entity: EntityName, slice: number) => `r/${entity}/${pad(slice)}`,
  reports: (entity: EntityName) => `r/${entity}/`,
  stage: (entity: EntityName) => `g/${entity}`,
  slice: (entity: EntityName, slice: number) => `l/${entity}/${pad(slice)}`,
  record: (entity: EntityName, seq: number) => `q/${entity}/${String(seq).padStart(9, '0')}`,
} as const;

const counts = z.record(z.string(), z.number());
/**
 * Record values as the CRMs and the mapping gave them: an object, taken as it is. Not `z.record`, which checks and
 * copies every key of every record: a worker read a slice's plan of 5,000 people back in 23 ms with it, 4 ms without.
 */
const values = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: 'expected an object of field values' },
);
const externalKey = { connection: z.string(), object: z.string(), externalId: z.string() };
const link = z.looseObject({ ...externalKey, entity: z.enum(ENTITIES), unifiedId: z.string() });
const quarantineEntry = z.looseObject({
  entity: z.enum(ENTITIES),
  ...externalKey,
  field: z.string(),
  reason: z.string(),
});
const plannedWrite = z.looseObject({
  entity: z.enum(ENTITIES),
  unifiedId: z.string(),
  connection: z.string(),
  object: z.string(),
  create: z.boolean(),
  hash: z.string(),
  write: z.looseObject({ ref: z.string(), fields: values }),
});
const plannedConversion = z.looseObject({
  unifiedId: z.string(),
  connection: z.string(),
  conversion: z.looseObject({ ref: z.string(), personId: z.string() }),
});
const cursor = z.strictObject({
  connection: z.string(),
  object: z.string(),
  cursor: z.strictObject({ modifiedAt: z.string(), id: z.string(), pulledAt: z.string().optional() }),
});
const report = z.looseObject({
  read: counts,
  changed: z.number(),
  creates: counts,
  updates: counts,
  conversions: z.number(),
  quarantined: z.number(),
});

/**
 * The shape of each part where the steps read it. Record values inside stay as the CRMs and the mapping gave them;
 * what the steps act on (ids, targets, counts, keys) is checked.
 */
const PARTS = {
  pending: z.looseObject({
    entity: z.enum(ENTITIES),
    plan: z.looseObject({
      snapshots: z.array(
        z.looseObject({
          unifiedId: z.string(),
          entity: z.enum(ENTITIES),
          data: values,
        }),
      ),
    }),
    quarantined: z.array(quarantineEntry),
    known: z.array(z.looseObject({ ...externalKey, unifiedId: z.string(), hash: z.string() })),
    read: z.array(z.looseObject(externalKey)),
    cursors: z.array(cursor),
    report,
    dealAccounts: z.array(z.string()),
    dealPeople: z.array(z.string()).optional(),
    slices: z.int().positive().optional(),
    batches: z.array(BatchInfo),
  }),
  stage: z.looseObject({
    cursors: z.array(cursor),
    read: counts,
    echoes: z.number(),
    changed: z.number(),
    deletes: z.looseObject({ unlinked: z.number(), propagated: z.number(), merged: z.number() }),
    quarantined: z.array(quarantineEntry),
    problems: z.array(z.string()).optional(),
    slices: z.int().positive(),
  }),
  slice: z.union([
    z.strictObject({ seqs: z.array(z.int().nonnegative()) }),
    z.strictObject({ unchanged: z.array(z.string()) }),
  ]),
  record: z.looseObject({
    connection: z.string(),
    object: z.string(),
    external: z.looseObject({ id: z.string(), fields: values }),
  }),
  batch: z.strictObject({ writes: z.array(plannedWrite), conversions: z.array(plannedConversion) }),
  outcome: z.strictObject({
    created: counts,
    updated: counts,
    converted: z.number(),
    quarantined: z.array(quarantineEntry),
    links: z.array(link),
    written: z.array(z.looseObject({ ...externalKey, hash: z.string() })),
    failed: z.array(z.string()),
  }),
  report,
} as const;

/** Reads a part back, checked: a part of the wrong shape is named with what is wrong. */
function checked<T>(part: keyof typeof PARTS, runId: string, key: string, body: unknown): T {
  const result = PARTS[part].safeParse(body);
  if (!result.success)
    throw new Error(
      `round ${runId}: its saved ${part} ${key} is not readable: ${z.prettifyError(result.error)}`,
    );
  return result.data as T;
}

/** A round's parts in the state store, for rounds whose steps run as jobs in any process. */
export function storeKeeper(store: RoundStateStore): RoundKeeper {
  const one = async <T>(part: keyof typeof PARTS, runId: string, key: string): Promise<T | undefined> => {
    const [entry] = await store.roundStateAt(runId, [key]);
    return entry === undefined ? undefined : checked<T>(part, runId, key, entry.body);
  };
  const keeper: RoundKeeper = {
    async savePlan(runId, entity, slice, pending, batches) {
      // The batches first, the plan last: a saved plan means its batches are all there.
      await store.saveRoundState(
        runId,
        batches.map((body, n) => ({ key: roundKeys.batch(entity, slice, n), body })),
      );
      await store.saveRoundState(runId, [{ key: roundKeys.pending(entity, slice), body: pending }]);
    },
    pending: (runId, entity, slice) => one('pending', runId, roundKeys.pending(entity, slice)),
    batch: (runId, entity, slice, n) => one('batch', runId, roundKeys.batch(entity, slice, n)),
    async startBatch(runId, entity, slice, n) {
      const key = roundKeys.started(entity, slice, n);
      if ((await store.roundStateAt(runId, [key])).length > 0) return true;
      await store.saveRoundState(runId, [{ key, body: true }]);
      return false;
    },
    saveOutcome: (runId, entity, slice, n, outcome) =>
      store.saveRoundState(runId, [{ key: roundKeys.outcome(entity, slice, n), body: outcome }]),
    async outcomes(runId, entity, slice) {
      return (await store.roundState(runId, roundKeys.outcomes(entity, slice))).map((e) =>
        checked<StoredOutcome>('outcome', runId, e.key, e.body),
      );
    },
    async outcomesOf(runId, entity, slice, batches) {
      const keys = batches.map((n) => roundKeys.outcome(entity, slice, n));
      const found = new Map((await store.roundStateAt(runId, keys)).map((e) => [e.key, e.body]));
      return keys.flatMap((key) =>
        found.has(key) ? [checked<StoredOutcome>('outcome', runId, key, found.get(key))] : [],
      );
    },
    saveReport: (runId, entity, slice, body) =>
      store.saveRoundState(runId, [{ key: roundKeys.report(entity, slice), body }]),
    report: (runId, entity, slice) => one('report', runId, roundKeys.report(entity, slice)),
    async reports(runId, entity) {
      return (await store.roundState(runId, roundKeys.reports(entity))).map((e) =>
        checked<EntityReport>('report', runId, e.key, e.body),
      );
    },
    settle: (runId, entity, slice) =>
      settleSlice(keeper, runId, entity, slice, async (pending, done) => {
        await store.saveRoundState(runId, [{ key: roundKeys.pending(entity, slice), body: pending }]);
        await store.dropRoundStateAt(runId, done);
      }),
    staging: {
      saveRecords: (runId, entity, records, first) =>
        store.saveRoundState(
          runId,
          records.map((body, i) => ({ key: roundKeys.record(entity, first + i), body })),
        ),
      async records(runId, entity, seqs) {
        const keys = seqs.map((seq) => roundKeys.record(entity, seq));
        const found = new Map((await store.roundStateAt(runId, keys)).map((e) => [e.key, e.body]));
        return keys.map((key) => {
          if (!found.has(key)) throw new Error(`round ${runId}: its staged record ${key} is missing`);
          return checked<StagedRecord>('record', runId, key, found.get(key));
        });
      },
      dropRecords: (runId, entity, seqs) =>
        store.dropRoundStateAt(
          runId,
          seqs.map((seq) => roundKeys.record(entity, seq)),
        ),
      async saveStage(runId, entity, stage, slices) {
        // The slices first, the stage last: a saved stage means every slice is there.
        await store.saveRoundState(
          runId,
          slices.map((body, n) => ({ key: roundKeys.slice(entity, n), body })),
        );
        await store.saveRoundState(runId, [{ key: roundKeys.stage(entity), body: stage }]);
      },
      stage: (runId, entity) => one('stage', runId, roundKeys.stage(entity)),
      slice: (runId, entity, slice) => one('slice', runId, roundKeys.slice(entity, slice)),
    },
    drop: (runId, staleBefore) => store.dropRoundState(runId, staleBefore),
  };
  return keeper;
}

/**
 * A round's parts in memory, for a round one process runs from start to end (and for a dry run). A large pull
 * window's records are staged in `stageIn` when given (the state store), so that memory stays flat.
 */
export function memoryKeeper(stageIn?: RoundStateStore): RoundKeeper {
  const parts = new Map<string, unknown>();
  const at = (runId: string, key: string) => `${runId}\u0000${key}`;
  const get = <T>(runId: string, key: string) => parts.get(at(runId, key)) as T | undefined;
  const under = <T>(runId: string, prefix: string): T[] => {
    const start = at(runId, prefix);
    return [...parts.entries()]
      .filter(([key]) => key.startsWith(start))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, part]) => part as T);
  };
  const inStore = stageIn === undefined ? undefined : storeKeeper(stageIn).staging;
  const keeper: RoundKeeper = {
    async savePlan(runId, entity, slice, pending, batches) {
      for (const [n, batch] of batches.entries())
        parts.set(at(runId, roundKeys.batch(entity, slice, n)), batch);
      parts.set(at(runId, roundKeys.pending(entity, slice)), pending);
    },
    pending: async (runId, entity, slice) => get(runId, roundKeys.pending(entity, slice)),
    batch: async (runId, entity, slice, n) => get(runId, roundKeys.batch(entity, slice, n)),
    async startBatch(runId, entity, slice, n) {
      const key = at(runId, roundKeys.started(entity, slice, n));
      const before = parts.has(key);
      parts.set(key, true);
      return before;
    },
    saveOutcome: async (runId, entity, slice, n, outcome) => {
      parts.set(at(runId, roundKeys.outcome(entity, slice, n)), outcome);
    },
    outcomes: async (runId, entity, slice) => under(runId, roundKeys.outcomes(entity, slice)),
    outcomesOf: async (runId, entity, slice, batches) =>
      batches.flatMap((n) => get<StoredOutcome>(runId, roundKeys.outcome(entity, slice, n)) ?? []),
    saveReport: async (runId, entity, slice, report) => {
      parts.set(at(runId, roundKeys.report(entity, slice)), report);
    },
    report: async (runId, entity, slice) => get(runId, roundKeys.report(entity, slice)),
    reports: async (runId, entity) => under(runId, roundKeys.reports(entity)),
    settle: (runId, entity, slice) =>
      settleSlice(keeper, runId, entity, slice, async (pending, done) => {
        parts.set(at(runId, roundKeys.pending(entity, slice)), pending);
        for (const key of done) parts.delete(at(runId, key));
      }),
    staging: {
      saveRecords: async (runId, entity, records, first) => {
        if (inStore !== undefined) return inStore.saveRecords(runId, entity, records, first);
        for (const [i, record] of records.entries())
          parts.set(at(runId, roundKeys.record(entity, first + i)), record);
      },
      records: async (runId, entity, seqs) => {
        if (inStore !== undefined) return inStore.records(runId, entity, seqs);
        return seqs.map((seq) => {
          const record = get<StagedRecord>(runId, roundKeys.record(entity, seq));
          if (record === undefined) throw new Error(`round ${runId}: its staged record ${seq} is missing`);
          return record;
        });
      },
      dropRecords: async (runId, entity, seqs) => {
        if (inStore !== undefined) return inStore.dropRecords(runId, entity, seqs);
        for (const seq of seqs) parts.delete(at(runId, roundKeys.record(entity, seq)));
      },
      saveStage: async (runId, entity, stage, slices) => {
        for (const [n, list] of slices.entries()) parts.set(at(runId, roundKeys.slice(entity, n)), list);
        parts.set(at(runId, roundKeys.stage(entity)), stage);
      },
      stage: async (runId, entity) => get(runId, roundKeys.stage(entity)),
      slice: async (runId, entity, slice) => get(runId, roundKeys.slice(entity, slice)),
    },
    drop: async (runId) => {
      for (const key of [...parts.keys()]) if (key.startsWith(`${runId}\u0000`)) parts.delete(key);
      await stageIn?.dropRoundState(runId);
    },
  };
  return keeper;
}

/**
 * Settles a recorded slice: its staged records dropped, its plan replaced by what later steps read of it, and the
 * keys of its batches, their start marks and outcomes handed to `keep` with it to drop.
 */
async function settleSlice(
  keeper: RoundKeeper,
  runId: string,
  entity: EntityName,
  slice: number,
  keep: (pending: StoredPending, done: string[]) => Promise<void>,
): Promise<void> {
  const pending = await keeper.pending(runId, entity, slice);
  if (pending === undefined) return;
  const list = await keeper.staging.slice(runId, entity, slice);
  if (list !== undefined && 'seqs' in list) await keeper.staging.dropRecords(runId, entity, list.seqs);
  await keep(
    settled(pending),
    pending.batches.flatMap((_, n) => [
      roundKeys.batch(entity, slice, n),
      roundKeys.started(entity, slice, n),
      roundKeys.outcome(entity, slice, n),
    ]),
  );
}

/** What later steps read of a recorded slice's plan; the rest (writes' snapshots, hashes, keys read) is done with. */
function settled(pending: StoredPending): StoredPending {
  return {
    ...pending,
    plan: emptyPlan(),
    quarantined: [],
    known: [],
    read: [],
    report: { ...pending.report, samples: [] },
    batches: [],
  };
}
