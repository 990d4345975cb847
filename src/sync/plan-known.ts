import { DEAL_CONTACTS, type EntityName } from '../model/index.ts';
import { type IdentityLink, keyOf } from '../store/index.ts';
import { domainsOf } from './account-match.ts';
import { loadApprovals, type RoundApprovals } from './approvals.ts';
import type { SyncContext } from './context.ts';
import { linkedIds } from './links.ts';
import { isHeld } from './pull.ts';
import { type Group, keyOfPulled } from './resolve.ts';
import { readUnseenTwins } from './twins.ts';

type Bag = Record<string, unknown>;

/**
 * What the state store (and, for linked records a group has no view of, the CRMs) know of an entity's resolved
 * groups: everything merge, classify and plan read. Plain data: planning reads only this.
 */
export interface PlanKnown {
  /** The groups to plan: held ones left out, twins read from the CRMs added. */
  readonly groups: readonly Group[];
  /** Unified ids with a held member; nothing is written from or to them. */
  readonly held: ReadonlySet<string>;
  /** Each group's snapshot, as last merged. */
  readonly bases: ReadonlyMap<string, Bag>;
  /** Account unified ids under each company domain the people's e-mails name (people only). */
  readonly accountsByDomain: ReadonlyMap<string, readonly string[]>;
  /** The snapshots of the accounts the people may belong to (people only). */
  readonly accounts: ReadonlyMap<string, Bag>;
  /**
   * The deals (snapshots) under each match-key value the people's records give: `connection/externalId` of a
   * contact when the config maps a deal's contacts, else the account's unified id (people only).
   */
  readonly deals: ReadonlyMap<string, readonly Bag[]>;
  /** Every link of each record the planned records may point at (accounts, a deal's people), for target ids. */
  readonly linksOf: ReadonlyMap<string, readonly IdentityLink[]>;
  /** Reps' decisions on the people's conversions, recorded from the CLI (see loadApprovals). */
  readonly decisions?: RoundApprovals['decisions'];
}

/** Whether the config maps a deal's contacts (the people on it) in any connection. */
export function mapsDealContacts(ctx: Pick<SyncContext, 'config'>): boolean {
  return ctx.config.objects.opportunity?.fields.some((f) => f.unified === DEAL_CONTACTS) === true;
}

/** The keys a person's deals are indexed under when the config maps a deal's contacts: their records. */
export const contactKeysOf = (g: Group): string[] => [
  ...new Set([
    ...g.links.map((l) => `${l.connection}/${l.externalId}`),
    ...g.pulled.map((p) => `${p.connection}/${p.external.id}`),
  ]),
];

const accountIdOf = (record: Bag | undefined): string | undefined =>
  (record?.account as { id?: string } | null | undefined)?.id;

/**
 * Loads what planning needs, in batches: open holds and snapshots of the groups; the linked records of groups
 * without a snapshot (from the CRMs); then, over every record a merge may take a value from (the pulled records and
 * the snapshots), the accounts by e-mail domain, the accounts and deals the people may have, and the links of
 * every record they point at. A superset of what the merged records will name, so that planning needs no more.
 */
export async function loadPlanKnown(
  ctx: SyncContext,
  entity: EntityName,
  changed: readonly Group[],
): Promise<PlanKnown> {
  const { groups, decisions } = await loadApprovals(ctx, entity, changed);
  const held = await heldGroups(ctx, groups);
  const bases = await ctx.store.snapshots(groups.map((g) => g.unifiedId));
  const seen = await readUnseenTwins(
    ctx,
    entity,
    groups.filter((g) => !held.has(g.unifiedId)),
    bases,
  );
  for (const id of seen.held) held.add(id);
  const planned = seen.groups.filter((g) => !held.has(g.unifiedId));
  const sources: Bag[] = planned.flatMap((g) => {
    const base = bases.get(g.unifiedId);
    return [...g.pulled.map((p) => p.unified as Bag), ...(base === undefined ? [] : [base])];
  });
  const people = entity === 'person';
  const domains = people ? domainsOf(sources) : [];
  const accountsByDomain =
    domains.length === 0
      ? new Map<string, string[]>()
      : await ctx.store.findByMatchKey('account', 'domain', domains);
  const accountIds = new Set<string>();
  if (people) {
    for (const record of sources) {
      const id = accountIdOf(record);
      if (id !== undefined) accountIds.add(id);
    }
    for (const ids of accountsByDomain.values()) if (ids.length === 1) accountIds.add(ids[0] as string);
  }
  const byContacts = mapsDealContacts(ctx);
  const dealKeys = !people ? [] : byContacts ? [...new Set(planned.flatMap(contactKeysOf))] : [...accountIds];
  const referenced = new Set([...linkedIds(entity, sources), ...accountIds]);
  const [accounts, deals, links] = await Promise.all([
    accountIds.size === 0 ? new Map<string, Bag>() : ctx.store.snapshots([...accountIds]),
    dealsBy(ctx, byContacts ? 'contact' : 'account', dealKeys),
    referenced.size === 0 ? [] : ctx.store.linksOf([...referenced]),
  ]);
  const linksOf = Map.groupBy(links, (l) => l.unifiedId);
  return { groups: planned, held, bases, accountsByDomain, accounts, deals, linksOf, decisions };
}

/**
 * The unified records with a held member: one pulled this round whose mapping holds it, or one linked whose hold
 * is still open. Nothing is written from or to them (their twin is already linked, so nothing is created either)
 * and their snapshot stays as it was, until the held record maps again or is replayed.
 */
async function heldGroups(ctx: SyncContext, groups: readonly Group[]): Promise<Set<string>> {
  const out = new Set<string>();
  const pulled = new Set(groups.flatMap((g) => g.pulled.map((p) => keyOf(keyOfPulled(p)))));
  const unpulled = groups.flatMap((g) => g.links.filter((l) => !pulled.has(keyOf(l))));
  const stillHeld = unpulled.length === 0 ? new Set<string>() : await ctx.store.heldAmong(unpulled);
  for (const g of groups)
    if (g.pulled.some(isHeld) || g.links.some((l) => stillHeld.has(keyOf(l)))) out.add(g.unifiedId);
  return out;
}

/** The deals indexed under each of these match-key values, as last merged. */
async function dealsBy(
  ctx: SyncContext,
  key: 'account' | 'contact',
  values: readonly string[],
): Promise<Map<string, Bag[]>> {
  const out = new Map<string, Bag[]>();
  if (values.length === 0) return out;
  const dealIds = await ctx.store.findByMatchKey('opportunity', key, [...new Set(values)]);
  const snapshots = await ctx.store.snapshots([...new Set([...dealIds.values()].flat())]);
  for (const [value, ids] of dealIds)
    out.set(
      value,
      ids.map((id) => snapshots.get(id)).filter((d): d is Bag => d !== undefined),
    );
  return out;
}
