import type { EntityName } from '../model/index.ts';
import { keyOf } from '../store/index.ts';
import type { SyncContext } from './context.ts';
import { resolveLinks } from './links.ts';
import { representativeFirst } from './person-objects.ts';
import { isHeld, mapPulled, type Pulled } from './pull.ts';
import { type Group, keyOfPulled } from './resolve.ts';

/**
 * Reads the linked records a group has no view of: those not pulled this round, of a unified record without a
 * snapshot (one that was held, or whose state was lost). Without them the merge would see one side only and write
 * it over the other. Groups with a snapshot need none: the snapshot is what the unpulled side holds. A twin that
 * is itself held is returned in `held`.
 */
export async function readUnseenTwins(
  ctx: SyncContext,
  entity: EntityName,
  groups: readonly Group[],
  bases: ReadonlyMap<string, unknown>,
): Promise<{ groups: Group[]; held: Set<string> }> {
  const wanted = new Map<string, Map<string, string[]>>();
  for (const g of groups) {
    if (bases.has(g.unifiedId)) continue;
    const pulled = new Set(g.pulled.map((p) => keyOf(keyOfPulled(p))));
    for (const link of g.links) {
      if (pulled.has(keyOf(link))) continue;
      const byObject = wanted.get(link.connection) ?? new Map<string, string[]>();
      byObject.set(link.object, [...(byObject.get(link.object) ?? []), link.externalId]);
      wanted.set(link.connection, byObject);
    }
  }
  const held = new Set<string>();
  if (wanted.size === 0) return { groups: [...groups], held };
  const read = new Map<string, Pulled>();
  for (const [connection, byObject] of wanted) {
    const connector = ctx.connectors[connection];
    if (connector?.read === undefined) continue;
    for (const [object, ids] of byObject) {
      const map = ctx.mapping.inbound(entity, connection, object);
      const records = await connector.read(object, ids, ctx.mapping.fieldsToRead(entity, connection, object));
      const mapped = records
        .filter((r) => !r.deleted)
        .map((external): Pulled => mapPulled(map, connection, object, external));
      await resolveLinks(
        ctx.config,
        ctx.store,
        entity,
        mapped.map((p) => p.unified as Record<string, unknown>),
      );
      for (const p of mapped) read.set(keyOf(keyOfPulled(p)), p);
    }
  }
  const out = groups.map((g) => {
    if (bases.has(g.unifiedId)) return g;
    const twins = g.links.map((l) => read.get(keyOf(l))).filter((p): p is Pulled => p !== undefined);
    if (twins.length === 0) return g;
    if (twins.some(isHeld)) held.add(g.unifiedId);
    // Within a connection, the representative (a contact before its lead) comes first, as resolve orders them.
    const pulled = [...g.pulled, ...twins].sort(representativeFirst(ctx.config));
    return { ...g, pulled };
  });
  return { groups: out, held };
}
