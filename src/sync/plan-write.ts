import type { Write } from '../connector/types.ts';
import type { UnifiedInputs } from '../mapping/index.ts';
import { type EntityName, FIELD_CATALOG } from '../model/index.ts';
import type { ExternalKey } from '../store/index.ts';
import type { SyncContext } from './context.ts';
import { type MappedField, matchFields } from './field-table.ts';
import { isBlank, sameValue } from './merge.ts';
import type { Plan, PlannedWrite } from './plan-types.ts';
import { hashValues, project } from './projection.ts';
import type { Group } from './resolve.ts';

type Bag = Record<string, unknown>;

import type { Target } from './plan-target.ts';

export function planWrite(
  ctx: SyncContext,
  entity: EntityName,
  group: Group,
  connection: string,
  target: Target,
  table: readonly MappedField[],
  outgoing: Bag,
  base: Bag | undefined,
  plan: Plan,
): PlannedWrite | undefined {
  const desired = project(outgoing, table);
  const pulled = group.pulled.find(
    (p) => p.connection === connection && p.object === target.object && p.external.id === target.id,
  );
  const current =
    target.id === undefined ? {} : pulled ? project(pulled.unified, table) : base ? project(base, table) : {};
  const create = target.id === undefined;
  const differs = table.filter((f) => f.writable && !sameValue(desired[f.unified], current[f.unified]));
  // A create carries every field that has a value once mapped (an outbound default counts).
  if (!create && differs.length === 0) return undefined;
  const mapped = ctx.mapping.toExternal(
    entity,
    connection,
    target.object,
    outgoing as UnifiedInputs[typeof entity],
  );
  const source = sourceOf(group);
  // Issues are reported against the record the values came from (a create's target has none yet).
  const where = source ?? { connection, object: target.object, externalId: target.id ?? group.unifiedId };
  const action = `${create ? 'creating' : 'writing to'} ${connection} ${target.object}`;
  if (create) {
    // A create without a valid match key could make a second record of someone already there: hold it.
    const keys = matchFields(ctx.config, entity);
    const unmatched = group.pulled.flatMap((p) => (p.issues ?? []).filter((f) => keys.includes(f.unified)));
    if (unmatched.length > 0) {
      for (const f of unmatched)
        plan.quarantined.push({
          entity,
          kind: 'held',
          ...where,
          field: f.unified,
          value: f.value,
          reason: `${f.external}: ${f.reason}; without a valid ${f.unified} to match on, ${action} could duplicate a record: fix it, then replay`,
        });
      return undefined;
    }
  }
  const failed = new Set<string>();
  if (!mapped.ok) {
    const hold = mapped.failures.some((f) => f.hold);
    for (const f of mapped.failures) {
      failed.add(f.unified);
      plan.quarantined.push({
        entity,
        kind: hold ? 'held' : 'field',
        ...where,
        field: f.unified,
        value: f.value,
        reason: `${f.external}: ${f.reason} (${action})`,
      });
    }
    if (hold) return undefined;
    // Only the fields that could not be mapped are left unwritten; they are not part of what the target will hold.
    for (const field of failed) delete desired[field];
  }
  const changed = (
    create
      ? table.filter((f) => f.writable && f.externals.some((name) => !isBlank(mapped.value[name])))
      : differs
  ).filter((f) => !failed.has(f.unified));
  if (changed.length === 0) return undefined;
  const fields: Bag = {};
  for (const f of changed)
    for (const name of f.externals) if (name in mapped.value) fields[name] = mapped.value[name];
  const diff = Object.fromEntries(
    changed.map((f) => [f.unified, { from: current[f.unified], to: desired[f.unified] }]),
  );
  const write: Write = {
    ref: group.unifiedId,
    fields,
    // Every record of the target was read (first round: a full load) and none matched: it is new there.
    ...(create ? { ...upsertKey(entity, table, mapped.value), expectNew: true } : { id: target.id }),
  };
  return {
    entity,
    unifiedId: group.unifiedId,
    connection,
    object: target.object,
    write,
    create,
    source,
    diff,
    hash: hashValues(
      echoOf(
        ctx,
        entity,
        connection,
        target.object,
        desired,
        table,
        changed,
        fields,
        heldFields(target, pulled),
      ),
    ),
  };
}

/**
 * The values the target will hold once written, as the next pull will map them: outbound and inbound transforms
 * (a default for a blank field, a truncation) can make them differ from the unified values, and the echo hash must
 * match what comes back. On a create the target holds just what was written; on an update of a record pulled this
 * round, what it held plus what was written; otherwise the unified values with the written fields read back.
 */
function echoOf(
  ctx: SyncContext,
  entity: EntityName,
  connection: string,
  object: string,
  desired: Bag,
  table: readonly MappedField[],
  changed: readonly MappedField[],
  written: Bag,
  held: Readonly<Bag> | undefined,
): Bag {
  const fields = held === undefined ? written : { ...held, ...written };
  const back = ctx.mapping.toUnified(entity, connection, object, { id: 'echo', fields });
  if (!back.ok) return desired;
  const catalog = FIELD_CATALOG[entity];
  const echoed = project(back.value, held === undefined ? changed : table);
  const out: Bag = held === undefined ? { ...desired } : {};
  for (const [field, value] of Object.entries(echoed)) {
    // A written link reads back unresolved; it points at the same unified record the desired value names.
    const type = catalog.get(field);
    out[field] = type === 'link' || type === 'linkList' ? desired[field] : value;
  }
  return out;
}

/** The record a group's values came from: its first pulled record (the representative of its connection). */
function sourceOf(group: Group): ExternalKey | undefined {
  const first = group.pulled[0];
  return first && { connection: first.connection, object: first.object, externalId: first.external.id };
}

/** What the target holds before the write, when known: nothing for a create, the pulled fields for an update. */
function heldFields(target: Target, pulled: Group['pulled'][number] | undefined): Readonly<Bag> | undefined {
  if (target.id === undefined) return {};
  return pulled?.external.fields;
}

/** A create is idempotent when a unique key lets a retried create find the record it made. */
function upsertKey(entity: EntityName, table: readonly MappedField[], values: Bag): Pick<Write, 'upsertBy'> {
  const key = table.find(
    (f) => f.unified === (entity === 'person' ? 'email' : entity === 'account' ? 'domain' : ''),
  );
  const field = key?.externals[0];
  const value = field === undefined ? undefined : values[field];
  return typeof value === 'string' && value !== '' && field !== undefined
    ? { upsertBy: { field, value } }
    : {};
}
