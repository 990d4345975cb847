import type { Write } from '../connector/types.ts';
import type { UnifiedInputs } from '../mapping/index.ts';
import { isMissing } from '../model/blank.ts';
import { type EntityName, FIELD_CATALOG } from '../model/index.ts';
import type { ExternalKey } from '../store/index.ts';
import type { DecideContext } from './context.ts';
import { type MappedField, matchFields, otherConnection, twinField } from './field-table.ts';
import { sameValue } from './merge.ts';
import { representativeIn } from './person-objects.ts';
import type { Plan, PlannedWrite } from './plan-types.ts';
import { hashValues, project } from './projection.ts';
import { fieldIssue, held as heldRecord } from './quarantine-entries.ts';
import type { Group } from './resolve.ts';

type Bag = Record<string, unknown>;

import type { Target } from './plan-target.ts';

export function planWrite(
  ctx: DecideContext,
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
  const markers = base === undefined ? {} : keptBy(base, connection);
  const current =
    target.id === undefined
      ? {}
      : pulled
        ? standingFor(project(pulled.unified, table), markers)
        : base
          ? { ...project(base, table), ...staleValues(markers) }
          : {};
  const create = target.id === undefined;
  // A link whose target has no record in this connection yet (held, or not created there) cannot be written: the
  // record keeps what it holds, and its snapshot says so, so that the link is written once the target is there.
  const unlinked: Record<string, Marker> = {};
  const differs = table.filter((f) => {
    if (sameValue(desired[f.unified], current[f.unified])) return false;
    if (!lacksRef(entity, f.unified, outgoing[f.unified], connection)) return f.writable;
    unlinked[f.unified] = { kept: current[f.unified] ?? null };
    return false;
  });
  const twin = twinToWrite(ctx, entity, group, connection, pulled);
  // A create carries every field that has a value once mapped (an outbound default counts).
  if (!create && differs.length === 0 && twin?.stale !== true) {
    // Nothing to write: the snapshot keeps its markers, and learns of the links that could not be written.
    if (Object.keys(unlinked).some((field) => !(field in markers)))
      plan.skipped.push({ unifiedId: group.unifiedId, connection, fields: { ...markers, ...unlinked } });
    return undefined;
  }
  const mapped = ctx.mapping.toExternal(
    entity,
    connection,
    target.object,
    outgoing as UnifiedInputs[typeof entity],
  );
  const source = sourceOf(ctx, group, connection);
  // Issues are reported against the record the values came from (a create's target has none yet).
  const where = source ?? { connection, object: target.object, externalId: target.id ?? group.unifiedId };
  const action = `${create ? 'creating' : 'writing to'} ${connection} ${target.object}`;
  if (create) {
    // A create without a valid match key could make a second record of someone already there: hold it.
    const keys = matchFields(ctx.config, entity);
    const unmatched = group.pulled.flatMap((p) => (p.issues ?? []).filter((f) => keys.includes(f.unified)));
    if (unmatched.length > 0) {
      for (const f of unmatched)
        plan.quarantined.push(
          heldRecord(
            entity,
            where,
            f.unified,
            f.value,
            `${f.external}: ${f.reason}; without a valid ${f.unified} to match on, ${action} could duplicate a record: fix it, then replay`,
          ),
        );
      return undefined;
    }
  }
  // A field the target's own value of could not be read is not written: what it holds would be lost unseen.
  const failed = new Set<string>((pulled?.issues ?? []).map((f) => f.unified));
  const skipped: Record<string, Marker> = { ...unlinked };
  // A text longer than the target field takes is left out, not sent to be refused with the whole record.
  for (const f of table) {
    for (const name of f.externals) {
      const value = mapped.value[name];
      const limit = ctx.fieldLengths?.get(`${connection}/${target.object}/${name}`);
      if (typeof value !== 'string' || limit === undefined || value.length <= limit || failed.has(f.unified))
        continue;
      failed.add(f.unified);
      skipped[f.unified] = { kept: current[f.unified] ?? null };
      plan.quarantined.push(
        fieldIssue(
          entity,
          where,
          f.unified,
          value,
          `${name}: ${value.length} characters, longer than ${connection} ${target.object}.${name} takes (${limit}) (${action})`,
        ),
      );
    }
  }
  if (!mapped.ok) {
    const hold = mapped.failures.some((f) => f.hold);
    for (const f of mapped.failures) {
      failed.add(f.unified);
      skipped[f.unified] = { kept: current[f.unified] ?? null };
      plan.quarantined.push(
        (hold ? heldRecord : fieldIssue)(
          entity,
          where,
          f.unified,
          f.value,
          `${f.external}: ${f.reason} (${action})`,
        ),
      );
    }
    if (hold) return undefined;
  }
  // Only the fields that could not be mapped are left unwritten; they are not part of what the target will hold.
  for (const field of failed) delete desired[field];
  // A link that cannot be written stays as the target holds it.
  for (const [field, marker] of Object.entries(unlinked)) desired[field] = marker.kept;
  const changed = (
    create
      ? table.filter(
          (f) =>
            f.writable &&
            !(f.unified in unlinked) &&
            f.externals.some((name) => !isMissing(mapped.value[name])),
        )
      : differs
  ).filter((f) => !failed.has(f.unified));
  const fields: Bag = {};
  for (const f of changed)
    for (const name of f.externals) if (name in mapped.value) fields[name] = mapped.value[name];
  // A value the target spells so that it reads back as another unified value (a many-to-one value map) is what
  // the target keeps for this one: reading it back is no change.
  const back = project(
    ctx.mapping.toUnified(entity, connection, target.object, { id: 'echo', fields }).value,
    changed,
  );
  for (const f of changed)
    if (!sameValue(back[f.unified], desired[f.unified]))
      skipped[f.unified] = { kept: back[f.unified] ?? null, for: desired[f.unified] ?? null };
  plan.skipped.push({ unifiedId: group.unifiedId, connection, fields: skipped });
  // The twin id goes with every write, and alone when it is all the target lacks.
  if (changed.length === 0 && twin?.stale !== true) return undefined;
  if (twin !== undefined) fields[twin.field] = twin.value;
  const diff = Object.fromEntries(
    changed.map((f) => [f.unified, { from: current[f.unified], to: desired[f.unified] }]),
  );
  if (twin?.stale === true) diff.twinId = { from: twin.held ?? null, to: twin.value };
  const held =
    pulled === undefined
      ? undefined
      : Object.fromEntries(Object.keys(fields).map((name) => [name, pulled.external.fields[name] ?? null]));
  const write: Write = {
    ref: group.unifiedId,
    fields,
    ...(held === undefined || create ? {} : { held }),
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
  ctx: DecideContext,
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

/**
 * The record a group's values came from, for writing to `connection`: a record of another connection (pulled this
 * round, else linked), which a failed create or a value with no counterpart is reported against.
 */
function sourceOf(ctx: DecideContext, group: Group, connection: string): ExternalKey | undefined {
  const other = group.pulled.find((p) => p.connection !== connection);
  if (other !== undefined)
    return { connection: other.connection, object: other.object, externalId: other.external.id };
  const linked = representativeIn(ctx.config, group.links, otherConnection(ctx.config, connection));
  if (linked !== undefined)
    return { connection: linked.connection, object: linked.object, externalId: linked.externalId };
  const own = group.pulled[0];
  return own && { connection: own.connection, object: own.object, externalId: own.external.id };
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

/** A link field's value names a record (by unified id or by another connection's id) but none in `connection`. */
function lacksRef(entity: EntityName, field: string, value: unknown, connection: string): boolean {
  if (FIELD_CATALOG[entity].get(field) !== 'link' || typeof value !== 'object' || value === null)
    return false;
  const link = value as { id?: string; refs?: Readonly<Record<string, string>> };
  if (link.refs?.[connection] !== undefined) return false;
  return link.id !== undefined || Object.keys(link.refs ?? {}).length > 0;
}

/**
 * The twin id to write to a record of `connection`: the id of the group's record in the other connection (a
 * Salesforce Contact before its Lead). `stale` when the target was read and holds another (or none): then it is
 * written even without other changes. Undefined without a `twinId` field or a twin.
 */
function twinToWrite(
  ctx: DecideContext,
  entity: EntityName,
  group: Group,
  connection: string,
  pulled: Group['pulled'][number] | undefined,
): { field: string; value: string; stale: boolean; held?: unknown } | undefined {
  const field = twinField(ctx.config, entity, connection);
  if (field === undefined) return undefined;
  const other = otherConnection(ctx.config, connection);
  const twin = representativeIn(ctx.config, group.links, other);
  if (twin === undefined) return undefined;
  const held = pulled?.external.fields[field];
  return { field, value: twin.externalId, stale: pulled !== undefined && held !== twin.externalId, held };
}

/**
 * What a connection's record holds instead of a unified value (see Plan.skipped): `kept` alone is a stale value
 * left because the unified one had no counterpart there; with `for`, `kept` is how that connection spells `for`.
 */
export interface Marker {
  readonly kept: unknown;
  readonly for?: unknown;
}

/** The markers a snapshot holds for one connection. */
function keptBy(base: Bag, connection: string): Readonly<Record<string, Marker>> {
  return (base.skipped as Record<string, Record<string, Marker>> | undefined)?.[connection] ?? {};
}

/** A record's values with each one that spells a unified value another way read as that unified value. */
function standingFor(values: Bag, markers: Readonly<Record<string, Marker>>): Bag {
  const out = { ...values };
  for (const [field, m] of Object.entries(markers))
    if ('for' in m && sameValue(out[field], m.kept)) out[field] = m.for;
  return out;
}

/** The stale values of fields that could not be written, which a write should replace when it can. */
function staleValues(markers: Readonly<Record<string, Marker>>): Bag {
  return Object.fromEntries(Object.entries(markers).flatMap(([f, m]) => ('for' in m ? [] : [[f, m.kept]])));
}
