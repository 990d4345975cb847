import type { Write } from '../connector/types.ts';
import type { UnifiedInputs } from '../mapping/index.ts';
import { type EntityName, FIELD_CATALOG } from '../model/index.ts';
import type { ExternalKey } from '../store/index.ts';
import type { SyncContext } from './context.ts';
import type { MappedField } from './field-table.ts';
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
  if (!mapped.ok) {
    for (const f of mapped.failures) {
      const where =
        create && source
          ? source
          : { connection, object: target.object, externalId: target.id ?? group.unifiedId };
      plan.quarantined.push({
        entity,
        ...where,
        field: f.unified,
        value: f.value,
        reason: `${f.external}: ${f.reason} (${create ? 'creating' : 'writing to'} ${connection} ${target.object})`,
      });
    }
    return undefined;
  }
  const changed = create
    ? table.filter((f) => f.writable && f.externals.some((name) => !isBlank(mapped.value[name])))
    : differs;
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
