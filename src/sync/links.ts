import type { BridgeConfig } from '../config/schema.ts';
import type { EntityName, Link } from '../model/index.ts';
import type { ExternalKey, IdentityLink, Store } from '../store/index.ts';
import { objectsOf } from './field-table.ts';

/** Which entity each link field of each entity points at. */
export const LINK_TARGETS: Readonly<Record<EntityName, Readonly<Record<string, EntityName>>>> = {
  person: { account: 'account' },
  account: { parent: 'account' },
  opportunity: { account: 'account', contacts: 'person' },
};

type Bag = Record<string, unknown>;

function linksIn(record: Bag, entity: EntityName): Link[] {
  const out: Link[] = [];
  for (const field of Object.keys(LINK_TARGETS[entity])) {
    const value = record[field];
    if (Array.isArray(value)) out.push(...(value as Link[]));
    else if (typeof value === 'object' && value !== null) out.push(value as Link);
  }
  return out;
}

/**
 * Fills `id` (the target's unified id) into every link of these records, looking up each external ref in the
 * identity map. Links whose target crm-bridge has not seen yet stay unresolved.
 */
export async function resolveLinks(
  config: BridgeConfig,
  store: Store,
  entity: EntityName,
  records: readonly Bag[],
): Promise<void> {
  const wanted: ExternalKey[] = [];
  for (const record of records) {
    for (const [field, target] of Object.entries(LINK_TARGETS[entity])) {
      for (const link of linksIn({ [field]: record[field] }, entity)) {
        for (const [connection, externalId] of Object.entries(link.refs)) {
          for (const object of objectsOf(config, target, connection))
            wanted.push({ connection, object, externalId });
        }
      }
    }
  }
  if (wanted.length === 0) return;
  const found = await store.findLinks(wanted);
  // By target entity too: a CRM that numbers each object from 1 (Pipedrive) has a person and an organization of
  // the same id, and a deal's contact must not resolve to its account.
  const byRef = new Map<string, string>();
  for (const link of found.values())
    byRef.set(`${link.entity}/${link.connection}/${link.externalId}`, link.unifiedId);
  for (const record of records) {
    for (const [field, target] of Object.entries(LINK_TARGETS[entity])) {
      for (const link of linksIn({ [field]: record[field] }, entity)) {
        for (const [connection, externalId] of Object.entries(link.refs)) {
          const id = byRef.get(`${target}/${connection}/${externalId}`);
          if (id !== undefined) (link as { id?: string }).id = id;
        }
      }
    }
  }
}

/** The unified ids the links of these records point at (resolved links only). */
export function linkedIds(entity: EntityName, records: readonly Bag[]): string[] {
  const ids = new Set<string>();
  for (const record of records) for (const link of linksIn(record, entity)) if (link.id) ids.add(link.id);
  return [...ids];
}

/**
 * Fills each resolved link's external id for `connection` (the record being written there), from `linksOf` (every
 * link of each target, as loaded), so that the outbound mapper writes the right AccountId or company id. A link
 * whose target has no record there is left without one; one whose target is both a lead and the contact it became
 * (`leadObject` names the lead's object) gets the contact.
 */
export function refsFor(
  linksOf: ReadonlyMap<string, readonly IdentityLink[]>,
  entity: EntityName,
  connection: string,
  records: readonly Bag[],
  leadObject?: string,
): void {
  const byUnified = new Map<string, string>();
  for (const id of linkedIds(entity, records)) {
    for (const link of linksOf.get(id) ?? []) {
      if (link.connection !== connection) continue;
      // A converted lead and its contact share a unified id: a link targets the contact.
      if (!byUnified.has(link.unifiedId) || link.object !== leadObject)
        byUnified.set(link.unifiedId, link.externalId);
    }
  }
  for (const record of records) {
    for (const link of linksIn(record, entity)) {
      // An unresolved link keeps the refs it came with: the target is simply not in the identity map yet.
      if (link.id === undefined) continue;
      const externalId = byUnified.get(link.id);
      const refs = { ...link.refs };
      if (externalId === undefined) delete refs[connection];
      else refs[connection] = externalId;
      (link as { refs: Record<string, string> }).refs = refs;
    }
  }
}
