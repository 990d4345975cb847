import type { Connector } from '../connector/types.ts';
import type { EntityName } from '../model/index.ts';
import { type ExternalKey, keyOf, type NewQuarantineEntry } from '../store/index.ts';
import { type CheckProblem, checkAgainstCrms, formatProblems } from './check.ts';
import { durationMs, type SyncContext } from './context.ts';
import { applyDeletes } from './deletes.ts';
import { fieldTable, objectsOf } from './field-table.ts';
import { emptyPlan, type Plan, type PlannedWrite, planEntity } from './plan.ts';
import { loadPlanKnown } from './plan-known.ts';
import { hashValues, project } from './projection.ts';
import { isHeld, issueEntries, type Pulled } from './pull.ts';
import type { PushOutcome } from './push.ts';
import { type Group, loadIdentities, resolveIdentities, unchangedGroups } from './resolve.ts';
import type { EntityReport, EntityStage, PlannedEntity, SyncReport } from './round-types.ts';
import { type DealChanges, dealPeople, type StageAt, stageEntity, unstage } from './stage.ts';

/**
 * Accounts first, so that people and deals can point at accounts that exist on both sides; deals before people, so
 * that the policy classifies people with their account's current deals (an open one makes an opportunity, a won
 * one a customer).
 */
export const ORDER: readonly EntityName[] = ['account', 'opportunity', 'person'];

/** The entities a config syncs, in round order. */
export const entitiesOf = (ctx: SyncContext): EntityName[] =>
  ORDER.filter((e) => ctx.config.objects[e] !== undefined);

/**
 * The first half of an entity's part of a round, for one slice of its records: deletes and merges, pull and map
 * (the first slice; a window larger than a slice is staged, see `stage.ts`), resolve identities, merge and
 * classify, plan. Saves the identities and match keys it found (so that a redone round finds them again) but
 * pushes nothing. `dryRun` keeps the delete step from deleting anything or changing the store; a dry run also
 * hands in a store that keeps what it saves to itself (see runSync).
 */
export async function planStep(
  ctx: SyncContext,
  entity: EntityName,
  deals: DealChanges,
  dryRun: boolean,
  at: StageAt & { readonly slice: number },
): Promise<PlannedEntity> {
  let stage = await at.staging.stage(at.runId, entity);
  if (stage === undefined) {
    if (at.slice !== 0) throw new Error(`round ${at.runId} has no staged ${entity} records`);
    // The config against the CRMs first: with a field missing or read-only, every write of the entity would fail.
    const { problems, found } = await configProblems(ctx);
    if (problems.some((p) => p.entity === entity && p.severity === 'error'))
      return skippedEntity(entity, found ?? []);
    // Deletes and merges first: a record gone from one CRM is settled before anything could be written to it.
    const deleted = await applyDeletes(ctx, entity, dryRun);
    const staged = await stageEntity(
      ctx,
      entity,
      at,
      deals,
      {
        deletes: { unlinked: deleted.unlinked, propagated: deleted.propagated, merged: deleted.merged },
        quarantined: deleted.quarantined,
      },
      found,
    );
    if (staged.records !== undefined)
      return planSlice(
        ctx,
        entity,
        staged.stage,
        staged.records,
        (changed) => peopleOf(ctx, entity, deals, changed),
        true,
      );
    stage = staged.stage;
  }
  const list = await at.staging.slice(at.runId, entity, at.slice);
  if (list === undefined) throw new Error(`round ${at.runId} has no slice ${at.slice} of ${entity}`);
  const first = at.slice === 0;
  if ('unchanged' in list)
    return planSlice(ctx, entity, stage, [], () => unchangedGroups(ctx.store, list.unchanged, []), first);
  const records = await unstage(ctx, entity, await at.staging.records(at.runId, entity, list.seqs));
  return planSlice(ctx, entity, stage, records, async () => [], first);
}

/**
 * Plans one slice: the records pulled (or staged) for it, and the unchanged groups `more` adds. The first slice
 * reports what the pull found and carries its cursors.
 */
async function planSlice(
  ctx: SyncContext,
  entity: EntityName,
  stage: EntityStage,
  records: readonly Pulled[],
  more: (changed: readonly Group[]) => Promise<Group[]>,
  first: boolean,
): Promise<PlannedEntity> {
  // Load → decide → save: what the store knows of the pulled records is loaded in batches, resolution and
  // planning read only that, and what they found is saved.
  const resolved = resolveIdentities(ctx, entity, records, await loadIdentities(ctx, entity, records));
  // Saved at once, so that a redone round finds them (a dry run's store keeps them to itself).
  await ctx.store.link(resolved.newLinks);
  await ctx.store.setMatchKeysMany(
    entity,
    [...resolved.matchKeys].map(([unifiedId, keys]) => ({ unifiedId, keys })),
  );
  const groups = [...resolved.groups, ...(await more(resolved.groups))];
  const known = await loadPlanKnown(ctx, entity, groups);
  const plan = planEntity({ ...ctx, fieldLengths: await fieldLengths(ctx, entity) }, entity, known);
  const quarantined = [
    ...(first ? stage.quarantined : []),
    ...records.flatMap((p) => issueEntries(entity, p)),
    ...resolved.quarantined,
    ...plan.quarantined,
  ];
  return {
    entity,
    plan,
    quarantined,
    known: knownHashes(ctx, entity, resolved.groups),
    read: records.map((p) => ({
      connection: p.connection,
      object: p.object,
      externalId: p.external.id,
    })),
    cursors: first ? stage.cursors : [],
    report: {
      read: first ? stage.read : {},
      changed: first ? stage.changed : 0,
      echoes: first ? stage.echoes : 0,
      creates: count(plan.writes, true),
      updates: count(plan.writes, false),
      conversions: plan.conversions.length,
      conflicts: plan.conflicts,
      quarantined: quarantined.length,
      ...byKind(quarantined),
      samples: plan.writes.slice(0, 5).map(({ connection, object, create, diff, unifiedId }) => ({
        connection,
        object,
        create,
        diff,
        unifiedId,
      })),
      deletes: first ? stage.deletes : { unlinked: 0, propagated: 0, merged: 0 },
      ...(first && stage.problems !== undefined ? { problems: stage.problems } : {}),
    },
    dealAccounts:
      entity === 'opportunity'
        ? [...accountsOf(plan)]
        : entity === 'account'
          ? [...gainedRecords(plan, resolved.newLinks)]
          : [],
    ...(entity === 'opportunity' ? { dealPeople: [...contactsOf(plan)] } : {}),
    ...(stage.slices > 1 ? { slices: stage.slices } : {}),
  };
}

/** An entity's report from the reports of its slices, in slice order (the first one reports the pull). */
export function sumReports(reports: readonly EntityReport[]): EntityReport | undefined {
  const [first, ...rest] = reports;
  if (first === undefined) return undefined;
  const add = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  let sum = first;
  for (const r of rest)
    sum = {
      ...sum,
      creates: add(sum.creates, r.creates),
      updates: add(sum.updates, r.updates),
      conversions: sum.conversions + r.conversions,
      conflicts: sum.conflicts + r.conflicts,
      quarantined: sum.quarantined + r.quarantined,
      held: (sum.held ?? 0) + (r.held ?? 0),
      refused: (sum.refused ?? 0) + (r.refused ?? 0),
      fieldIssues: (sum.fieldIssues ?? 0) + (r.fieldIssues ?? 0),
      samples: [...sum.samples, ...r.samples].slice(0, 5),
    };
  return sum;
}

/** When each connector's descriptions were last dropped. */
const described = new WeakMap<Connector, number>();

/**
 * Describe data is cached by the connectors (a round describes each object once); a long-lived worker drops it every
 * `sync.deletesEvery` (default 5m), so that a field an admin creates is seen within minutes, not at the next
 * restart, while rounds every few seconds cost no describe calls.
 */
function refreshDescriptions(ctx: SyncContext): boolean {
  const every = durationMs(ctx.config.sync.deletesEvery);
  let dropped = false;
  for (const connector of Object.values(ctx.connectors)) {
    const last = described.get(connector);
    if (last === undefined) described.set(connector, Date.now());
    else if (Date.now() - last >= every) {
      connector.forgetDescribe?.();
      described.set(connector, Date.now());
      dropped = true;
    }
  }
  return dropped;
}

/** The config's problems against the CRMs, found once per context for as long as its describe data is kept. */
const checked = new WeakMap<SyncContext, Promise<{ problems: CheckProblem[]; found?: string[] }>>();

function configProblems(ctx: SyncContext): Promise<{ problems: CheckProblem[]; found?: string[] }> {
  if (refreshDescriptions(ctx)) checked.delete(ctx);
  let result = checked.get(ctx);
  if (result === undefined) {
    result = checkAgainstCrms(ctx.config, ctx.connectors, { describeErrors: 'throw' }).then((problems) =>
      problems.length === 0 ? { problems } : { problems, found: formatProblems(problems, ctx.configFile) },
    );
    // A failed check (the CRM down) is not kept: the next entity or round asks again.
    result.catch(() => checked.delete(ctx));
    checked.set(ctx, result);
  }
  return result;
}

/** The text length limit of every field of the entity's objects, from describe (cached by the connectors). */
async function fieldLengths(ctx: SyncContext, entity: EntityName): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const connection of ctx.config.sync.pair) {
    const connector = ctx.connectors[connection];
    if (connector === undefined) continue;
    for (const object of objectsOf(ctx.config, entity, connection)) {
      for (const field of (await connector.describe(object)).fields)
        if (field.length !== undefined && field.length > 0)
          out.set(`${connection}/${object}/${field.name}`, field.length);
    }
  }
  return out;
}

/** How many entries of each kind. */
function byKind(entries: readonly NewQuarantineEntry[]): {
  held: number;
  refused: number;
  fieldIssues: number;
} {
  const n = (kind: string) => entries.filter((e) => (e.kind ?? 'held') === kind).length;
  return { held: n('held'), refused: n('refused'), fieldIssues: n('field') };
}

/** An entity the config's problems keep from syncing this round: nothing planned, no cursor to move. */
function skippedEntity(entity: EntityName, problems: readonly string[]): PlannedEntity {
  return {
    entity,
    plan: emptyPlan(),
    quarantined: [],
    known: [],
    read: [],
    cursors: [],
    report: {
      read: {},
      changed: 0,
      echoes: 0,
      creates: {},
      updates: {},
      conversions: 0,
      conflicts: 0,
      quarantined: 0,
      samples: [],
      deletes: { unlinked: 0, propagated: 0, merged: 0 },
      problems,
      skipped: true,
    },
    dealAccounts: [],
  };
}

/**
 * The second half, once the plan's writes were pushed (in this process or by push jobs): saves the links to
 * created records, what crm-bridge now knows of each record (for echo suppression), the merged snapshots, the
 * people's and deals' accounts, and the quarantine. A record whose write failed keeps its old snapshot and hash,
 * so the next round tries it again.
 */
export async function recordStep(
  ctx: SyncContext,
  planned: PlannedEntity,
  pushed: PushOutcome,
): Promise<EntityReport> {
  const { entity } = planned;
  await ctx.store.link(pushed.links);
  await ctx.store.saveWritten(lastKnown(planned, pushed));
  const saved = planned.plan.snapshots.filter((s) => !pushed.failed.has(s.unifiedId));
  await ctx.store.saveSnapshots(saved);
  if (entity !== 'account') {
    // Index people and deals by account, so that each finds the other.
    await ctx.store.setMatchKeysMany(
      entity,
      saved.map((s) => ({
        unifiedId: s.unifiedId,
        keys: {
          account: [...addAccount(new Set(), s.data)],
          // A deal is found by each person on it (its contacts' records, `connection/id`), when the config maps
          // them: the people may be linked only later in the round, their records are known now.
          ...(entity === 'opportunity' ? { contact: contactKeys(s.data) } : {}),
        },
      })),
    );
  }
  const quarantined = [...planned.quarantined, ...pushed.quarantined];
  // Entries of records read this round that nothing raised again are settled: their cause is gone.
  await ctx.store.quarantine(quarantined, planned.read);
  return {
    ...planned.report,
    creates: pushed.created,
    updates: pushed.updated,
    conversions: pushed.converted,
    quarantined: quarantined.length,
    ...byKind(quarantined),
  };
}

/** The run log's summary of a round: counts per entity and target, API calls, the error kind if it failed. */
export function summary(
  entities: SyncReport['entities'],
  apiCalls: Readonly<Record<string, number>>,
  durationMs: number,
  error?: unknown,
) {
  const counts: Record<string, number> = {};
  for (const [entity, r] of Object.entries(entities)) {
    for (const [k, v] of Object.entries(r.creates)) counts[`${entity}.created.${k}`] = v;
    for (const [k, v] of Object.entries(r.updates)) counts[`${entity}.updated.${k}`] = v;
    counts[`${entity}.quarantined`] = r.quarantined;
    counts[`${entity}.conversions`] = r.conversions;
    if (r.skipped) counts[`${entity}.skipped`] = 1;
  }
  const errors: Record<string, number> = {};
  if (error !== undefined) errors[(error as { kind?: string }).kind ?? 'internal'] = 1;
  return { counts, apiCalls: { ...apiCalls }, errors, durationMs };
}

/** Calls each connector has made so far, for those that count them. */
export function apiCalls(ctx: SyncContext): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [connection, connector] of Object.entries(ctx.connectors)) {
    const n = connector.calls?.();
    if (n !== undefined) out[connection] = n;
  }
  return out;
}

/** `after - before`, per connection. */
export function callsBetween(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([c, n]) => [c, n - (before[c] ?? 0)]));
}

const count = (writes: readonly PlannedWrite[], create: boolean) => {
  const out: Record<string, number> = {};
  for (const w of writes)
    if (w.create === create)
      out[`${w.connection}/${w.object}`] = (out[`${w.connection}/${w.object}`] ?? 0) + 1;
  return out;
};

/** The hash of every record read this round, as mapped: an unchanged record re-read later is skipped. */
function knownHashes(ctx: SyncContext, entity: EntityName, groups: readonly Group[]): PlannedEntity['known'] {
  const out: (ExternalKey & { unifiedId: string; hash: string })[] = [];
  for (const group of groups) {
    for (const p of group.pulled) {
      // A held record is not remembered as known: once it maps (or is replayed) it is read as changed.
      if (isHeld(p)) continue;
      const table = fieldTable(ctx.config, entity, p.connection, p.object);
      out.push({
        unifiedId: group.unifiedId,
        connection: p.connection,
        object: p.object,
        externalId: p.external.id,
        hash: hashValues(project(p.unified, table)),
      });
    }
  }
  return out;
}

/**
 * The hash of every record as crm-bridge last knew it: read this round, or written (a write wins). A record that
 * comes back with the same hash (an echo of a write, or an unchanged record re-read by the overlap window) is
 * skipped at the next pull. Records of a failed write are left out, so that they are read as changed again.
 */
function lastKnown(planned: PlannedEntity, pushed: PushOutcome): (ExternalKey & { hash: string })[] {
  const out = new Map<string, ExternalKey & { hash: string }>();
  for (const { unifiedId, ...known } of planned.known)
    if (!pushed.failed.has(unifiedId)) out.set(keyOf(known), known);
  for (const w of pushed.written) out.set(keyOf(w), w);
  return [...out.values()];
}

/** The accounts of the deals a plan saves. */
function accountsOf(plan: Plan): Set<string> {
  const out = new Set<string>();
  for (const s of plan.snapshots) addAccount(out, s.data);
  return out;
}

/**
 * The accounts that gain a record in a connection this round, created there or found there: people written to that
 * connection before it had one were written without their account, and get it now.
 */
function gainedRecords(plan: Plan, linked: readonly { readonly unifiedId: string }[]): Set<string> {
  const out = new Set(linked.map((l) => l.unifiedId));
  for (const w of plan.writes) if (w.create) out.add(w.unifiedId);
  return out;
}

/** The people on the deals a plan saves (their contacts' unified ids). */
function contactsOf(plan: Plan): Set<string> {
  const out = new Set<string>();
  for (const s of plan.snapshots) addContacts(out, s.data);
  return out;
}

/** Adds a deal's contacts (their unified ids) to `into`; returns `into`. */
function addContacts(into: Set<string>, record: Readonly<Record<string, unknown>>): Set<string> {
  const contacts = record.contacts as readonly { id?: string }[] | null | undefined;
  for (const c of contacts ?? []) if (c.id !== undefined) into.add(c.id);
  return into;
}

/** The records of a deal's contacts, as `connection/externalId` keys. */
export function contactKeys(record: Readonly<Record<string, unknown>>): string[] {
  const contacts = record.contacts as readonly { refs?: Record<string, string> }[] | null | undefined;
  return [
    ...new Set(
      (contacts ?? []).flatMap((c) => Object.entries(c.refs ?? {}).map(([conn, id]) => `${conn}/${id}`)),
    ),
  ];
}

/** Adds a record's account (its unified id) to `into`; returns `into`. */
function addAccount(into: Set<string>, record: Readonly<Record<string, unknown>>): Set<string> {
  const id = (record.account as { id?: string } | null | undefined)?.id;
  if (id !== undefined) into.add(id);
  return into;
}

/** The people of these accounts, and these people, who did not change this round, as groups to classify again. */
async function peopleOf(
  ctx: SyncContext,
  entity: EntityName,
  deals: DealChanges,
  changed: readonly Group[],
): Promise<Group[]> {
  return unchangedGroups(ctx.store, await dealPeople(ctx, entity, deals), changed);
}
