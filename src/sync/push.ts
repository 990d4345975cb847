import type { BridgeConfig } from '../config/schema.ts';
import type { EntityName } from '../model/index.ts';
import type { ExternalKey, IdentityLink, NewQuarantineEntry, WriteHistoryEntry } from '../store/index.ts';
import type { SyncContext } from './context.ts';
import { objectsOf } from './field-table.ts';
import { contactObject, leadObject } from './person-objects.ts';
import type { Plan, PlannedConversion, PlannedWrite } from './plan.ts';
import { errorText, refused, refusedWrite, WHOLE_RECORD } from './quarantine-entries.ts';

export interface PushOutcome {
  /** Records created and updated, per `connection/object`. */
  readonly created: Record<string, number>;
  readonly updated: Record<string, number>;
  converted: number;
  readonly quarantined: NewQuarantineEntry[];
  /** Links to the records created or converted. */
  readonly links: IdentityLink[];
  /** What was written, for echo suppression. */
  readonly written: (ExternalKey & { hash: string })[];
  /** Unified ids with a write or conversion that failed: their snapshot is not advanced. */
  readonly failed: Set<string>;
  /** What landed, record by record, for the write history (not kept with the round's state). */
  readonly done?: Omit<WriteHistoryEntry, 'runId' | 'at'>[];
}

/**
 * Carries out a plan through the connectors. Per-record failures are quarantined with the provider's reason; a
 * whole-call failure (auth refused, API down, limit reached) throws, so the round's cursors are not committed and
 * the next round redoes the window (every write is idempotent, so that is harmless).
 */
export async function pushPlan(
  ctx: SyncContext,
  entity: EntityName,
  plan: Pick<Plan, 'writes' | 'conversions'>,
  created: readonly IdentityLink[] = [],
): Promise<PushOutcome> {
  const outcome: PushOutcome = { ...emptyOutcome(), done: [] };
  // Writes that carry the id of a record created this round go once the creates have landed.
  const first = plan.writes.filter((w) => w.twinFrom === undefined);
  await pushWrites(ctx, entity, first, outcome);
  const after = withTwinIds(
    plan.writes.filter((w) => w.twinFrom !== undefined),
    [...created, ...outcome.links],
  );
  await pushWrites(ctx, entity, after, outcome);
  for (const [connection, conversions] of Map.groupBy(plan.conversions, (c) => c.connection)) {
    await convert(ctx, connection, conversions, outcome);
  }
  return outcome;
}

/**
 * Fills each write's twin id from the records created this round (`created`: their links); a write whose create
 * did not land keeps its other fields, or is dropped when the twin id was all it carried.
 */
export function withTwinIds(
  writes: readonly PlannedWrite[],
  created: readonly IdentityLink[],
): PlannedWrite[] {
  const ids = new Map(created.map((l) => [`${l.unifiedId}\u0000${l.connection}`, l.externalId]));
  return writes.flatMap((w) => {
    if (w.twinFrom === undefined) return [w];
    const id = ids.get(`${w.unifiedId}\u0000${w.twinFrom.connection}`);
    if (id === undefined) return Object.keys(w.write.fields).length === 0 ? [] : [w];
    return [{ ...w, write: { ...w.write, fields: { ...w.write.fields, [w.twinFrom.field]: id } } }];
  });
}

async function pushWrites(
  ctx: SyncContext,
  entity: EntityName,
  planned: readonly PlannedWrite[],
  outcome: PushOutcome,
): Promise<void> {
  for (const [target, writes] of Map.groupBy(planned, (w) => `${w.connection}/${w.object}`)) {
    const [connection, object] = [writes[0]?.connection as string, writes[0]?.object as string];
    const connector = ctx.connectors[connection];
    if (connector === undefined) throw new Error(`no connector for connection ${connection}`);
    const byRef = new Map<string, PlannedWrite>(writes.map((w) => [w.write.ref, w]));
    for (const result of await connector.push(
      object,
      writes.map((w) => w.write),
    )) {
      const planned = byRef.get(result.ref);
      if (planned === undefined) continue;
      if (result.ok) {
        const counts = result.created ? outcome.created : outcome.updated;
        counts[target] = (counts[target] ?? 0) + 1;
        if (planned.create || result.created) {
          outcome.links.push({
            entity,
            unifiedId: planned.unifiedId,
            connection,
            object,
            externalId: result.id,
          });
        }
        outcome.written.push({ connection, object, externalId: result.id, hash: planned.hash });
        outcome.done?.push({
          entity,
          unifiedId: planned.unifiedId,
          connection,
          object,
          externalId: result.id,
          kind: result.created ? 'created' : 'updated',
          changes: planned.diff,
        });
      } else {
        outcome.failed.add(planned.unifiedId);
        outcome.quarantined.push(refusedWrite(entity, planned, errorText(result.error), result.error.fields));
      }
    }
  }
}

async function convert(
  ctx: SyncContext,
  connection: string,
  conversions: readonly PlannedConversion[],
  outcome: PushOutcome,
): Promise<void> {
  const connector = ctx.connectors[connection];
  if (connector === undefined) throw new Error(`no connector for connection ${connection}`);
  const byRef = new Map(conversions.map((c) => [c.conversion.ref, c]));
  if (connector.convert === undefined) throw new Error(`the connector of ${connection} cannot convert`);
  for (const result of await connector.convert(conversions.map((c) => c.conversion))) {
    const planned = byRef.get(result.ref);
    if (planned === undefined) continue;
    if (result.ok) {
      outcome.converted++;
      outcome.done?.push({
        entity: 'person',
        ...conversionKey(ctx.config, planned),
        unifiedId: planned.unifiedId,
        kind: 'converted',
        changes: {},
      });
      // The converted lead's contact is the same person: link it, so nothing creates it twice.
      const object = contactObject(ctx.config, connection);
      if (object !== undefined)
        outcome.links.push({
          entity: 'person',
          unifiedId: planned.unifiedId,
          connection,
          object,
          externalId: result.contactId,
        });
    } else {
      outcome.failed.add(planned.unifiedId);
      outcome.quarantined.push(
        refused(
          'person',
          conversionKey(ctx.config, planned),
          WHOLE_RECORD,
          undefined,
          `conversion failed: ${errorText(result.error)}`,
        ),
      );
    }
  }
}

/**
 * What pushing a plan would do if every write and conversion landed, without calling a CRM: the dry run's
 * outcome. A record it would create gets a stand-in id (`(new sf Account 3)`), linked as the real one would be, so
 * that the entities planned after it see it.
 */
export function wouldPush(
  config: BridgeConfig,
  entity: EntityName,
  plan: Pick<Plan, 'writes' | 'conversions'>,
): PushOutcome {
  const outcome = emptyOutcome();
  let n = 0;
  const first = plan.writes.filter((w) => w.twinFrom === undefined);
  const after = plan.writes.filter((w) => w.twinFrom !== undefined);
  for (const w of [...first, ...after]) {
    const target = `${w.connection}/${w.object}`;
    const counts = w.create ? outcome.created : outcome.updated;
    counts[target] = (counts[target] ?? 0) + 1;
    const externalId = w.write.id ?? `(new ${w.connection} ${w.object} ${++n})`;
    if (w.create)
      outcome.links.push({
        entity,
        unifiedId: w.unifiedId,
        connection: w.connection,
        object: w.object,
        externalId,
      });
    outcome.written.push({ connection: w.connection, object: w.object, externalId, hash: w.hash });
  }
  for (const c of plan.conversions) {
    outcome.converted++;
    const object = contactObject(config, c.connection);
    if (object !== undefined)
      outcome.links.push({
        entity: 'person',
        unifiedId: c.unifiedId,
        connection: c.connection,
        object,
        externalId: `(new ${c.connection} ${object} ${++n})`,
      });
  }
  return outcome;
}

/** The part of a plan one push job carries out: writes to one target, or conversions in one connection. */
export interface PlanBatch {
  readonly writes: PlannedWrite[];
  readonly conversions: PlannedConversion[];
}

/**
 * Splits a plan's writes and conversions into batches of at most `sizeOf(connection)` each, one target per batch,
 * in plan order. The connectors split further where their API needs it; a batch is the unit one push job retries.
 */
export function splitPlan(
  plan: Pick<Plan, 'writes' | 'conversions'>,
  sizeOf: (connection: string) => number,
): PlanBatch[] {
  const out: PlanBatch[] = [];
  const chunked = <T>(items: readonly T[], size: number) => {
    const parts: T[][] = [];
    for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
    return parts;
  };
  const byTarget = (w: PlannedWrite) =>
    `${w.connection}/${w.object}${w.twinFrom === undefined ? '' : '/after'}`;
  for (const writes of Map.groupBy(plan.writes, byTarget).values())
    for (const part of chunked(writes, Math.max(1, sizeOf(writes[0]?.connection ?? ''))))
      out.push({ writes: part, conversions: [] });
  for (const [connection, conversions] of Map.groupBy(plan.conversions, (c) => c.connection))
    for (const part of chunked(conversions, Math.max(1, sizeOf(connection))))
      out.push({ writes: [], conversions: part });
  return out;
}

/** A push outcome as plain data (JSON), to keep in the state store until the round records it. */
export type StoredOutcome = Omit<PushOutcome, 'failed' | 'done'> & { readonly failed: string[] };

export const storeOutcome = ({ done: _, ...outcome }: PushOutcome): StoredOutcome => ({
  ...outcome,
  failed: [...outcome.failed],
});

/** The outcomes of a round's push batches as one. */
export function mergeOutcomes(outcomes: readonly StoredOutcome[]): PushOutcome {
  const merged: PushOutcome = emptyOutcome();
  const add = (into: Record<string, number>, from: Readonly<Record<string, number>>) => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  };
  for (const o of outcomes) {
    add(merged.created, o.created);
    add(merged.updated, o.updated);
    merged.converted += o.converted;
    merged.quarantined.push(...o.quarantined);
    merged.links.push(...o.links);
    merged.written.push(...o.written);
    for (const id of o.failed) merged.failed.add(id);
  }
  return merged;
}

function emptyOutcome(): PushOutcome {
  return {
    created: {},
    updated: {},
    converted: 0,
    quarantined: [],
    links: [],
    written: [],
    failed: new Set(),
  };
}

/** The record a conversion is about: the lead (or, in a CRM of lifecycle stages, the person) it converts. */
export function conversionKey(config: BridgeConfig, c: PlannedConversion): ExternalKey {
  const object = leadObject(config, c.connection) ?? objectsOf(config, 'person', c.connection)[0] ?? 'person';
  return { connection: c.connection, object, externalId: c.conversion.personId };
}
