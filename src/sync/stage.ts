import type { EntityName } from '../model/index.ts';
import type { NewQuarantineEntry } from '../store/index.ts';
import { chunks } from '../store/sql-helpers.ts';
import { Companions } from './companions.ts';
import type { SyncContext } from './context.ts';
import { resolveLinks } from './links.ts';
import { mapPulled, type Pulled, pullEntity } from './pull.ts';
import { companionsOf, loadIdentities } from './resolve.ts';
import type { Staging } from './round-keeper.ts';
import type { EntityReport, EntityStage, SliceList, StagedRecord } from './round-types.ts';

/*
 * A pull window larger than a slice is not held in memory: each page, once mapped and its echoes left out, is
 * staged (in the state store when the round has one) and the window is planned a slice at a time. A slice holds
 * every record that could be one unified record with one of its records (see Companions), so resolving, merging
 * and planning a slice decides exactly what planning the window whole would; what one slice saved (links, match
 * keys, snapshots) is what the next one loads.
 */

/** Where a round keeps its staged records. */
export interface StageAt {
  readonly runId: string;
  readonly staging: Staging;
}

/** Accounts and people planned again this round (their deals changed, or the account gained a record somewhere). */
export interface DealChanges {
  readonly accounts: ReadonlySet<string>;
  readonly people: ReadonlySet<string>;
}

/** What the pull found; `records` when the window fits one slice (kept in memory, nothing staged). */
export interface Staged {
  readonly stage: EntityStage;
  readonly records?: readonly Pulled[];
}

/**
 * Pulls an entity's window. A window of one slice is returned whole; a larger one is staged page by page, cut into
 * slices of companions, and saved with what the pull found (`staging.stage`). For people, those whose deals changed
 * and who were not read this round get slices of their own, after the others.
 */
export async function stageEntity(
  ctx: SyncContext,
  entity: EntityName,
  at: StageAt,
  deals: DealChanges,
  before: { readonly deletes: EntityReport['deletes']; readonly quarantined: readonly NewQuarantineEntry[] },
  problems: readonly string[] | undefined,
): Promise<Staged> {
  // Records a slice holds (more only when one group of companions is larger); a window this size is planned whole.
  const size = ctx.config.sync.slice;
  const companions = new Companions();
  let kept: Pulled[] | undefined = [];
  let unchanged: Set<string> | undefined;
  const stageRecords = async (records: readonly Pulled[]) => {
    unchanged ??= await dealPeople(ctx, entity, deals);
    const known = await loadIdentities(ctx, entity, records);
    const first = companions.size;
    for (const p of records) {
      const { keys, linked } = companionsOf(ctx, entity, p, known);
      companions.add(keys);
      for (const id of linked) unchanged.delete(id);
    }
    await at.staging.saveRecords(at.runId, entity, records.map(stagedOf), first);
  };
  const pulled = await pullEntity(ctx, entity, async (records) => {
    if (kept === undefined) return stageRecords(records);
    kept.push(...records);
    if (kept.length <= size) return;
    const all = kept;
    kept = undefined;
    await stageRecords(all);
  });
  const found = {
    cursors: pulled.cursors,
    read: pulled.read,
    echoes: pulled.echoes,
    deletes: before.deletes,
    quarantined: [...before.quarantined, ...pulled.quarantined],
    ...(problems === undefined ? {} : { problems }),
  };
  if (kept !== undefined) return { stage: { ...found, changed: kept.length, slices: 1 }, records: kept };
  const slices: SliceList[] = [
    ...companions.slices(size).map((seqs) => ({ seqs })),
    ...chunks([...(unchanged ?? [])], size).map((ids) => ({ unchanged: ids })),
  ];
  const stage: EntityStage = { ...found, changed: companions.size, slices: slices.length };
  await at.staging.saveStage(at.runId, entity, stage, slices);
  return { stage };
}

/** A slice's staged records, mapped again as the pull mapped them (their links to accounts resolved). */
export async function unstage(
  ctx: SyncContext,
  entity: EntityName,
  staged: readonly StagedRecord[],
): Promise<Pulled[]> {
  const out = staged.map((s) =>
    mapPulled(ctx.mapping.inbound(entity, s.connection, s.object), s.connection, s.object, s.external),
  );
  await resolveLinks(
    ctx.config,
    ctx.store,
    entity,
    out.map((p) => p.unified as Record<string, unknown>),
  );
  return out;
}

/** The unified ids of the people whose deals changed this round (people only). */
export async function dealPeople(
  ctx: SyncContext,
  entity: EntityName,
  deals: DealChanges,
): Promise<Set<string>> {
  if (entity !== 'person' || (deals.accounts.size === 0 && deals.people.size === 0)) return new Set();
  const byAccount =
    deals.accounts.size === 0
      ? new Map<string, string[]>()
      : await ctx.store.findByMatchKey('person', 'account', [...deals.accounts]);
  return new Set([...[...byAccount.values()].flat(), ...deals.people]);
}

const stagedOf = (p: Pulled): StagedRecord => ({
  connection: p.connection,
  object: p.object,
  external: p.external,
});
