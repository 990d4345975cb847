import { randomUUID } from 'node:crypto';
import { getPath, parsePath } from '../mapping/unified-path.ts';
import type { EntityName } from '../model/index.ts';
import {
  type ExternalKey,
  type IdentityLink,
  type IdentityStore,
  keyOf,
  type NewQuarantineEntry,
} from '../store/index.ts';
import type { DecideContext, SyncContext } from './context.ts';
import { matchFields, objectsOf, otherConnection, twinField } from './field-table.ts';
import { contactObject, representativeFirst } from './person-objects.ts';
import type { Pulled } from './pull.ts';
import { held } from './quarantine-entries.ts';

/** The pulled records that are one unified record, and what the identity map already knew of it. */
export interface Group<E extends EntityName = EntityName> {
  readonly unifiedId: string;
  /** Pulled records, the one that represents each connection first (a Salesforce Contact before its Lead). */
  readonly pulled: Pulled<E>[];
  /** Every external record of this unified record: known links plus those this round found. */
  readonly links: IdentityLink[];
}

export interface Resolution<E extends EntityName> {
  readonly groups: Group<E>[];
  readonly quarantined: NewQuarantineEntry[];
  /** Links found this round (by match key, conversion or creation of a unified id), to save. */
  readonly newLinks: IdentityLink[];
  /** Match key values per unified id, to save. */
  readonly matchKeys: Map<string, Record<string, string[]>>;
}

export const keyOfPulled = (p: Pulled): ExternalKey => ({
  connection: p.connection,
  object: p.object,
  externalId: p.external.id,
});

function matchValue(record: object, field: string): string | undefined {
  const value = getPath(record, parsePath(field));
  if (typeof value !== 'string') return undefined;
  const normalised = value
    .trim()
    .toLowerCase()
    .replace(/^www\./, '');
  return normalised === '' ? undefined : normalised;
}

/** A converted lead names the contact it became. */
function convertedContact(ctx: DecideContext, p: Pulled): ExternalKey | undefined {
  const converted = (p.unified as { converted?: { contactId?: string | null } | null }).converted;
  const id = converted?.contactId;
  const object = contactObject(ctx.config, p.connection);
  return id && object ? { connection: p.connection, object, externalId: id } : undefined;
}

/** What the identity map knows of a page of pulled records: everything resolution reads, loaded in batches. */
export interface KnownIdentities {
  /** Links of the pulled records, of the contacts converted leads became, and of the twins records name. */
  readonly links: ReadonlyMap<string, IdentityLink>;
  /** Unified ids seen before under each match key value, per match field. */
  readonly matchKeys: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  /** Every link of each unified record these records may join. */
  readonly linksOf: ReadonlyMap<string, readonly IdentityLink[]>;
}

/** The twin id a record holds (the entity's `twinId` field), trimmed. */
function twinValue(ctx: DecideContext, entity: EntityName, p: Pulled): string | undefined {
  const field = twinField(ctx.config, entity, p.connection);
  const value = field === undefined ? undefined : p.external.fields[field];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The keys a twin id may name in the other connection: one per object of the entity there. */
function twinKeys(ctx: DecideContext, entity: EntityName, p: Pulled, twin: string): ExternalKey[] {
  const other = otherConnection(ctx.config, p.connection);
  return objectsOf(ctx.config, entity, other).map((object) => ({
    connection: other,
    object,
    externalId: twin,
  }));
}

/**
 * Loads what resolution needs to know of these records from the store, in at most three batched steps: the links of
 * the records (and of the contacts converted leads became); the links of the twins named by records not linked yet,
 * and the unified ids under their match keys; then every link of the unified records found.
 */
export async function loadIdentities<E extends EntityName>(
  ctx: SyncContext,
  entity: E,
  pulled: readonly Pulled<E>[],
): Promise<KnownIdentities> {
  const conversions = pulled.map((p) => convertedContact(ctx, p));
  const links = new Map(
    await ctx.store.findLinks([
      ...pulled.map(keyOfPulled),
      ...conversions.filter((k): k is ExternalKey => k !== undefined),
    ]),
  );
  const open = pulled.filter((p, i) => {
    const contact = conversions[i];
    return !links.has(keyOf(keyOfPulled(p))) && !(contact !== undefined && links.has(keyOf(contact)));
  });
  const twins = open.flatMap((p) => {
    const twin = twinValue(ctx, entity, p);
    return twin === undefined ? [] : twinKeys(ctx, entity, p, twin);
  });
  const [twinLinks, ...byField] = await Promise.all([
    twins.length === 0 ? new Map<string, IdentityLink>() : ctx.store.findLinks(twins),
    ...matchFields(ctx.config, entity).map(async (field) => {
      const values = [
        ...new Set(open.map((p) => matchValue(p.unified, field)).filter((v) => v !== undefined)),
      ];
      return [
        field,
        values.length === 0 ? new Map() : await ctx.store.findByMatchKey(entity, field, values),
      ] as const;
    }),
  ]);
  for (const [key, link] of twinLinks) links.set(key, link);
  const matchKeys = new Map(byField);
  const ids = new Set([...links.values()].map((l) => l.unifiedId));
  for (const found of matchKeys.values())
    for (const list of found.values()) for (const id of list) ids.add(id);
  const linksOf = Map.groupBy(ids.size === 0 ? [] : await ctx.store.linksOf([...ids]), (l) => l.unifiedId);
  return { links, matchKeys, linksOf };
}

/**
 * What puts a record into the same slice as others (see Companions): its own key, the twin and the contact it
 * names, its match values, and the unified records it is linked to or names by twin or conversion (`linked`).
 */
export function companionsOf(
  ctx: DecideContext,
  entity: EntityName,
  p: Pulled,
  known: KnownIdentities,
): { keys: string[]; linked: string[] } {
  const own = keyOfPulled(p);
  const refs: ExternalKey[] = [own];
  const contact = convertedContact(ctx, p);
  if (contact !== undefined) refs.push(contact);
  const twin = twinValue(ctx, entity, p);
  if (twin !== undefined) refs.push(...twinKeys(ctx, entity, p, twin));
  const linked = new Set<string>();
  for (const key of refs) {
    const id = known.links.get(keyOf(key))?.unifiedId;
    if (id !== undefined) linked.add(id);
  }
  const keys = refs.map((k) => `r\u0000${k.connection}\u0000${k.externalId}`);
  for (const id of linked) keys.push(`u\u0000${id}`);
  for (const field of matchFields(ctx.config, entity)) {
    const value = matchValue(p.unified, field);
    if (value === undefined) continue;
    keys.push(`m\u0000${field}\u0000${value}`);
    for (const id of known.matchKeys.get(field)?.get(value) ?? []) keys.push(`u\u0000${id}`);
  }
  return { keys, linked: [...linked] };
}

/**
 * Unified records that did not change this round (those of `changed` left out), as groups to plan again: nothing
 * pulled, their links from the identity map. The people a changed deal or a rep's decision concerns.
 */
export async function unchangedGroups(
  store: Pick<IdentityStore, 'linksOf'>,
  ids: Iterable<string>,
  changed: readonly Group[],
): Promise<Group[]> {
  const planned = new Set(changed.map((g) => g.unifiedId));
  const wanted = [...new Set(ids)].filter((id) => !planned.has(id));
  if (wanted.length === 0) return [];
  const links = Map.groupBy(await store.linksOf(wanted), (l) => l.unifiedId);
  return wanted.map((unifiedId) => ({ unifiedId, pulled: [], links: links.get(unifiedId) ?? [] }));
}

/**
 * Decides which unified record each pulled record is, in a fixed precedence:
 * 1. the identity map (this external record was linked before);
 * 2. for a converted lead, the identity of the contact it became;
 * 3. the twin id the record holds (the entity's `twinId` field), against records pulled in the same round and the
 *    identity map;
 * 4. the entity's match keys (normalised e-mail for people, domain for accounts), against records seen before
 *    and records pulled in the same round.
 * A record matching several unified records, or joining one that already has another record of the same object
 * in the same connection (two Contacts, one e-mail), is quarantined with every id involved, never guessed.
 * Reads only what `loadIdentities` found (`known`); `newId` names new unified records.
 */
export function resolveIdentities<E extends EntityName>(
  ctx: DecideContext,
  entity: E,
  pulled: readonly Pulled<E>[],
  known: KnownIdentities,
  newId: () => string = randomUUID,
): Resolution<E> {
  const quarantined: NewQuarantineEntry[] = [];
  const newLinks: IdentityLink[] = [];
  const assigned = new Map<Pulled<E>, string>();
  const setAside = new Set<Pulled<E>>();
  const quarantine = (p: Pulled<E>, field: string, value: unknown, reason: string) => {
    setAside.add(p);
    quarantined.push(held(entity, keyOfPulled(p), field, value, reason));
  };

  pulled.forEach((p) => {
    const link = known.links.get(keyOf(keyOfPulled(p)));
    const contact = convertedContact(ctx, p);
    const viaConversion = contact && known.links.get(keyOf(contact));
    const id = link?.unifiedId ?? viaConversion?.unifiedId;
    if (id !== undefined) assigned.set(p, id);
    if (!link && id !== undefined) newLinks.push({ entity, unifiedId: id, ...keyOfPulled(p) });
  });

  // The twin id a record holds (crm-bridge writes it into both CRMs): with a new or lost state store, it pairs a
  // record with its twin, pulled in the same round or already in the identity map.
  const withTwin = pulled.filter((p) => !assigned.has(p) && twinValue(ctx, entity, p) !== undefined);
  if (withTwin.length > 0) {
    const byId = new Map(pulled.map((p) => [`${p.connection}\u0000${p.external.id}`, p]));
    for (const p of withTwin) {
      if (assigned.has(p)) continue;
      const other = otherConnection(ctx.config, p.connection);
      const twin = twinValue(ctx, entity, p) as string;
      const q = byId.get(`${other}\u0000${twin}`);
      let id = q === undefined ? undefined : assigned.get(q);
      for (const key of twinKeys(ctx, entity, p, twin)) id ??= known.links.get(keyOf(key))?.unifiedId;
      if (id === undefined && q !== undefined) {
        id = newId();
        assigned.set(q, id);
        newLinks.push({ entity, unifiedId: id, ...keyOfPulled(q) });
      }
      if (id === undefined) continue;
      assigned.set(p, id);
      newLinks.push({ entity, unifiedId: id, ...keyOfPulled(p) });
    }
  }

  // Match keys, field by field in the configured order: the first field that decides wins.
  const open = () => pulled.filter((p) => !assigned.has(p) && !setAside.has(p));
  for (const field of matchFields(ctx.config, entity)) {
    const byValue = new Map<string, Pulled<E>[]>();
    for (const p of pulled) {
      const value = matchValue(p.unified, field);
      if (value !== undefined) byValue.set(value, [...(byValue.get(value) ?? []), p]);
    }
    const candidates = open().filter((p) => matchValue(p.unified, field) !== undefined);
    if (candidates.length === 0) continue;
    const stored = known.matchKeys.get(field) ?? new Map<string, readonly string[]>();
    const handled = new Set<string>();
    for (const p of candidates) {
      const value = matchValue(p.unified, field) as string;
      if (handled.has(value)) continue;
      handled.add(value);
      const same = byValue.get(value) ?? [];
      const ids = new Set<string>(stored.get(value) ?? []);
      for (const q of same) if (assigned.has(q)) ids.add(assigned.get(q) as string);
      const unassigned = same.filter((q) => !assigned.has(q));
      if (ids.size > 1) {
        for (const q of unassigned)
          quarantine(
            q,
            field,
            value,
            `${field} ${value} matches several records (${[...ids].sort().join(', ')}); merge them, then replay`,
          );
        continue;
      }
      const duplicates = duplicatesWithin(unassigned);
      if (duplicates.length > 0) {
        const names = duplicates.map((q) => `${q.connection} ${q.object} ${q.external.id}`).join(', ');
        // With nothing known to join, the others of this value are held too: a new unified record for them would
        // be created again where the duplicates are.
        const held = ids.size === 0 ? unassigned : duplicates;
        for (const q of held)
          quarantine(q, field, value, `${field} ${value} is shared by ${names}; merge them, then replay`);
        if (ids.size === 0) continue;
      }
      const id = ids.values().next().value ?? newId();
      for (const q of unassigned) {
        if (duplicates.includes(q)) continue;
        assigned.set(q, id);
        newLinks.push({ entity, unifiedId: id, ...keyOfPulled(q) });
      }
    }
  }
  for (const p of open()) {
    const id = newId();
    assigned.set(p, id);
    newLinks.push({ entity, unifiedId: id, ...keyOfPulled(p) });
  }

  // A record may not join a unified record that already has another record of its object in its connection.
  const existing = [...new Set(assigned.values())].flatMap((id) => known.linksOf.get(id) ?? []);
  const links = Map.groupBy([...existing, ...newLinks], (l) => l.unifiedId);
  const byKey = new Map(pulled.map((p) => [keyOf(keyOfPulled(p)), p]));
  for (const link of newLinks) {
    const rival = (links.get(link.unifiedId) ?? []).find(
      (l) => l.connection === link.connection && l.object === link.object && l.externalId !== link.externalId,
    );
    const p = byKey.get(keyOf(link));
    if (rival && p && assigned.get(p) === link.unifiedId) {
      quarantine(
        p,
        '*',
        link.externalId,
        `${link.connection} ${link.object} ${link.externalId} and ${rival.externalId} are the same ${entity}; merge them, then replay`,
      );
      assigned.delete(p);
    }
  }

  const kept = newLinks.filter((l) => {
    const p = byKey.get(keyOf(l));
    return p !== undefined && assigned.get(p) === l.unifiedId;
  });
  const groups = new Map<string, Pulled<E>[]>();
  for (const [p, id] of assigned) groups.set(id, [...(groups.get(id) ?? []), p]);
  const matchKeys = new Map<string, Record<string, string[]>>();
  for (const [id, members] of groups) {
    const keys: Record<string, string[]> = {};
    for (const field of matchFields(ctx.config, entity)) {
      keys[field] = [
        ...new Set(
          members.map((p) => matchValue(p.unified, field)).filter((v): v is string => v !== undefined),
        ),
      ];
    }
    matchKeys.set(id, keys);
  }
  const linksById = Map.groupBy([...existing, ...kept], (l) => l.unifiedId);
  return {
    groups: [...groups].map(([unifiedId, members]) => ({
      unifiedId,
      pulled: members.sort(representativeFirst(ctx.config)),
      links: linksById.get(unifiedId) ?? [],
    })),
    quarantined,
    newLinks: kept,
    matchKeys,
  };
}

/** Records of the same connection and object among these: the same person twice in one CRM. */
function duplicatesWithin<E extends EntityName>(records: readonly Pulled<E>[]): Pulled<E>[] {
  const counts = new Map<string, number>();
  for (const p of records)
    counts.set(`${p.connection}/${p.object}`, (counts.get(`${p.connection}/${p.object}`) ?? 0) + 1);
  return records.filter((p) => (counts.get(`${p.connection}/${p.object}`) ?? 0) > 1);
}
