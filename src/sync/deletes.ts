import type { Cursor, DeletedRef } from '../connector/types.ts';
import type { EntityName } from '../model/index.ts';
import { type IdentityLink, keyOf, type NewQuarantineEntry } from '../store/index.ts';
import { durationMs, type SyncContext } from './context.ts';
import { objectsOf } from './field-table.ts';
import { refused, WHOLE_RECORD } from './quarantine-entries.ts';

export interface DeleteOutcome {
  /** Records deleted in one CRM whose twin was kept and unlinked (`deletes: unlink`). */
  unlinked: number;
  /** Twins deleted in the other CRM (`deletes: propagate`). */
  propagated: number;
  /** Merges whose surviving record took over the identity. */
  merged: number;
  readonly quarantined: NewQuarantineEntry[];
}

/**
 * Applies the deletes and merges each connection reports since the object's last cursor. A merge re-points the
 * identity map to the surviving record; a delete either only unlinks (the twin stays, and is reported) or, with
 * `deletes: propagate`, deletes the twin in the other CRM too. Records crm-bridge never linked are ignored.
 */
export async function applyDeletes(
  ctx: SyncContext,
  entity: EntityName,
  dryRun: boolean,
): Promise<DeleteOutcome> {
  const outcome: DeleteOutcome = { unlinked: 0, propagated: 0, merged: 0, quarantined: [] };
  const mode = ctx.config.objects[entity]?.deletes ?? ctx.config.sync.deletes;
  const overlap = durationMs(ctx.config.sync.overlap);
  const every = durationMs(ctx.config.sync.deletesEvery);
  for (const connection of ctx.config.sync.pair) {
    const connector = ctx.connectors[connection];
    if (connector?.deleted === undefined) continue;
    for (const object of objectsOf(ctx.config, entity, connection)) {
      // Nothing of this object is linked (a first round): no delete can concern crm-bridge, so none is asked for.
      if (!(await ctx.store.hasLinks(connection, object))) continue;
      // Deletes are asked for every `deletesEvery`, not every round: a round every few seconds stays one call per
      // object when nothing changed.
      const check = await ctx.store.getDeleteCheck(connection, object);
      const now = ctx.now().getTime();
      if (check !== undefined && now - Date.parse(check.checkedAt) < every) continue;
      // Without a scan or a pull cursor yet (crm-bridge created every record there), every delete is looked at;
      // unlinked ones are ignored below.
      const cursor = await ctx.store.getCursor(connection, object);
      const from = check?.cursorAt ?? cursor?.modifiedAt ?? new Date(0).toISOString();
      const since: Cursor = { modifiedAt: new Date(Date.parse(from) - overlap).toISOString(), id: '' };
      let latest = from;
      for await (const page of connector.deleted(object, since)) {
        const links = await ctx.store.findLinks(page.map((r) => ({ connection, object, externalId: r.id })));
        for (const ref of page) {
          if (ref.deletedAt > latest) latest = ref.deletedAt;
          const link = links.get(keyOf({ connection, object, externalId: ref.id }));
          if (link === undefined) continue;
          if (ref.mergedInto !== undefined) await applyMerge(ctx, link, ref, outcome, dryRun);
          else if (mode === 'propagate') await propagate(ctx, link, outcome, dryRun);
          else {
            outcome.unlinked++;
            if (!dryRun) await ctx.store.unlink([link]);
          }
        }
      }
      if (!dryRun) {
        await ctx.store.saveDeleteCheck(connection, object, {
          cursorAt: latest,
          checkedAt: new Date(now).toISOString(),
        });
      }
    }
  }
  return outcome;
}

/** The merged-away record's identity moves to the survivor: the twins of the loser now belong to the winner. */
async function applyMerge(
  ctx: SyncContext,
  loser: IdentityLink,
  ref: DeletedRef,
  outcome: DeleteOutcome,
  dryRun: boolean,
): Promise<void> {
  outcome.merged++;
  if (dryRun) return;
  const survivor = {
    connection: loser.connection,
    object: loser.object,
    externalId: ref.mergedInto as string,
  };
  const winner = (await ctx.store.findLinks([survivor])).get(keyOf(survivor));
  const moved: IdentityLink[] = [];
  if (winner !== undefined && winner.unifiedId !== loser.unifiedId) {
    const theirs = await ctx.store.linksOf([winner.unifiedId]);
    for (const twin of await ctx.store.linksOf([loser.unifiedId])) {
      if (twin.connection === loser.connection) continue;
      // The winner already has a twin of that object there: two records remain, which only a person can merge.
      const taken = theirs.some((t) => t.connection === twin.connection && t.object === twin.object);
      if (taken) {
        outcome.quarantined.push(
          refused(
            loser.entity,
            twin,
            WHOLE_RECORD,
            undefined,
            `its ${loser.connection} record ${loser.externalId} was merged into ${ref.mergedInto}, whose twin here is another record: merge the two here too`,
          ),
        );
      } else moved.push({ ...twin, unifiedId: winner.unifiedId });
    }
  } else if (winner === undefined) {
    moved.push({ ...loser, externalId: ref.mergedInto as string });
  }
  await ctx.store.link(moved);
  await ctx.store.unlink([loser]);
}

/** Deletes the twins of a deleted record in the other connections, then forgets the identity. */
async function propagate(
  ctx: SyncContext,
  deleted: IdentityLink,
  outcome: DeleteOutcome,
  dryRun: boolean,
): Promise<void> {
  const twins = (await ctx.store.linksOf([deleted.unifiedId])).filter(
    (l) => l.connection !== deleted.connection,
  );
  for (const twin of twins) {
    const connector = ctx.connectors[twin.connection];
    if (connector?.remove === undefined) {
      outcome.quarantined.push(
        refused(
          deleted.entity,
          twin,
          WHOLE_RECORD,
          undefined,
          `its twin ${deleted.connection} ${deleted.object} ${deleted.externalId} was deleted, and this connector cannot delete: delete it by hand`,
        ),
      );
      continue;
    }
    if (dryRun) {
      outcome.propagated++;
      continue;
    }
    const [result] = await connector.remove(twin.object, [twin.externalId]);
    if (result?.ok || result?.error.kind === 'not-found') outcome.propagated++;
    else if (result) {
      outcome.quarantined.push(
        refused(
          deleted.entity,
          twin,
          WHOLE_RECORD,
          undefined,
          `deleting it (its twin was deleted) failed: ${result.error.kind}: ${result.error.message}`,
        ),
      );
    }
  }
  if (!dryRun) await ctx.store.unlink(await ctx.store.linksOf([deleted.unifiedId]));
}
