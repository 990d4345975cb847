import { getPath, parsePath, setPath } from '../mapping/unified-path.ts';
import { copyData } from '../model/copy.ts';
import type { EntityName } from '../model/index.ts';
import type { DecideContext } from './context.ts';
import { fieldTable, type MappedField, objectsOf } from './field-table.ts';
import { type MergeResult, mergeRecord, type Side, sameValue } from './merge.ts';
import { contactObject, isLeadObject } from './person-objects.ts';
import { project } from './projection.ts';
import type { Group } from './resolve.ts';

type Bag = Record<string, unknown>;

/** Every field of an entity, as mapped in any object of either connection (for the snapshot's projection). */
export function entityFields(ctx: DecideContext, entity: EntityName): MappedField[] {
  const seen = new Map<string, MappedField>();
  for (const connection of ctx.config.sync.pair) {
    for (const object of objectsOf(ctx.config, entity, connection)) {
      for (const field of fieldTable(ctx.config, entity, connection, object)) seen.set(field.unified, field);
    }
  }
  return [...seen.values()];
}

export interface Assembled {
  /** The merged unified record (links carry unified ids), the next snapshot. */
  readonly record: Bag;
  readonly merge: MergeResult;
}

/**
 * Merges a group's sides over its snapshot into one unified record. Values come from the winning side as that side
 * holds them (a link keeps its object), from the snapshot for fields nobody changed, else from the first side.
 */
export function assemble(
  ctx: DecideContext,
  entity: EntityName,
  group: Group,
  base: Bag | undefined,
  fields: readonly MappedField[],
): Assembled {
  const representatives = new Map<string, Group['pulled'][number]>();
  for (const p of group.pulled) if (!representatives.has(p.connection)) representatives.set(p.connection, p);
  const skipped = (base?.skipped ?? {}) as Readonly<
    Record<string, Readonly<Record<string, { kept: unknown }>>>
  >;
  const sides: Side[] = [...representatives.values()].map((p) => {
    const values = project(p.unified, fieldTable(ctx.config, entity, p.connection, p.object));
    // A value this side kept because crm-bridge could not write the unified one there, or its own spelling of
    // the unified one, is not a change.
    for (const [field, marker] of Object.entries(skipped[p.connection] ?? {}))
      if (sameValue(values[field], marker.kept)) delete values[field];
    return { connection: p.connection, modifiedAt: p.external.modifiedAt, values };
  });
  const rules = fields.map((f) => ({ field: f.unified, rule: f.rule }));
  const merge = mergeRecord(rules, base && project(base, fields), sides, ctx.config.sync.pair);

  const first = group.pulled[0]?.unified as Bag | undefined;
  const record: Bag = copyData(base ?? first ?? {});
  for (const field of fields) {
    const path = parsePath(field.unified);
    const winner = merge.winners[field.unified];
    const from = winner === undefined ? undefined : (representatives.get(winner)?.unified as Bag | undefined);
    const value = from ? getPath(from, path) : base ? getPath(base, path) : first && getPath(first, path);
    if (value !== undefined) setPath(record, path, copyData(value));
  }
  const sources: Bag = { ...((base?.sources as Bag | undefined) ?? {}) };
  for (const p of group.pulled) Object.assign(sources, (p.unified as Bag).sources as Bag);
  record.sources = sources;
  record.id = group.unifiedId;
  if (entity === 'person') {
    // A person is a contact once a CRM holds it in its contact object (a lead's own link aside).
    const isLead = (c: string, o: string) => isLeadObject(ctx.config, c, o);
    const isContact =
      group.links.some((l) => !isLead(l.connection, l.object)) &&
      group.pulled.some((p) => contactObject(ctx.config, p.connection) === p.object);
    record.kind = isContact || record.kind === 'contact' ? 'contact' : (record.kind ?? 'lead');
    const lead = group.pulled.find((p) => isLead(p.connection, p.object));
    const converted = lead && (lead.unified as Bag).converted;
    if (converted) record.converted = converted;
  }
  const times = group.pulled.map((p) => p.external.modifiedAt).sort();
  if (times.length > 0)
    record.modifiedAt = new Date(Date.parse(times[times.length - 1] as string)).toISOString();
  return { record, merge };
}
