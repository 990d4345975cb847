import { randomUUID } from 'node:crypto';
import type { Cursor } from '../connector/types.ts';
import type { EntityName } from '../model/index.ts';
import { type ExternalKey, type IdentityLink, keyOf } from '../store/index.ts';
import type { SyncContext } from './context.ts';
import { applyDeletes } from './deletes.ts';
import { fieldTable } from './field-table.ts';
import { type Plan, type PlannedWrite, planEntity } from './plan.ts';
import { hashValues, project } from './projection.ts';
import { pullEntity } from './pull.ts';
import { type PushOutcome, pushPlan } from './push.ts';
import { type Group, resolveIdentities } from './resolve.ts';

/**
 * Accounts first, so that people and deals can point at accounts that exist on both sides; deals before people, so
 * that the policy classifies people with their account's current deals (an open one makes an opportunity, a won
 * one a customer).
 */
const ORDER: readonly EntityName[] = ['account', 'opportunity', 'person'];

/** What one entity's part of a round did (or, in a dry run, would do). */
export interface EntityReport {
  /** Records read per `connection/object`. */
  readonly read: Record<string, number>;
  /** Records that had changed (echoes of crm-bridge's own writes left out). */
  readonly changed: number;
  readonly echoes: number;
  readonly creates: Record<string, number>;
  readonly updates: Record<string, number>;
  readonly conversions: number;
  readonly conflicts: number;
  readonly quarantined: number;
  /** A few planned writes with their field changes, for the dry-run report. */
  readonly samples: readonly Pick<PlannedWrite, 'connection' | 'object' | 'create' | 'diff' | 'unifiedId'>[];
  /** Deletes and merges reported by the CRMs: twins unlinked, twins deleted, identities moved to a survivor. */
  readonly deletes: { readonly unlinked: number; readonly propagated: number; readonly merged: number };
}

export interface SyncReport {
  readonly runId: string;
  readonly dryRun: boolean;
  /** API calls the round made, per connection (where the connector counts them). */
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly entities: Partial<Record<EntityName, EntityReport>>;
  readonly durationMs: number;
}

const count = (writes: readonly PlannedWrite[], create: boolean) => {
  const out: Record<string, number> = {};
  for (const w of writes)
    if (w.create === create)
      out[`${w.connection}/${w.object}`] = (out[`${w.connection}/${w.object}`] ?? 0) + 1;
  return out;
};

/**
 * One sync round: for each entity, pull → map → resolve → merge and classify → plan → push. Cursors are committed
 * only after every write of the round succeeded or was quarantined; a failure before that leaves them, and the
 * next round redoes the window. A dry run plans and reports, and writes nothing anywhere.
 */
export async function runSync(ctx: SyncContext, options: { dryRun?: boolean } = {}): Promise<SyncReport> {
  const dryRun = options.dryRun === true;
  const started = Date.now();
  const runId = randomUUID();
  const callsBefore = apiCalls(ctx);
  const callsMade = () => {
    const now = apiCalls(ctx);
    return Object.fromEntries(Object.entries(now).map(([c, n]) => [c, n - (callsBefore[c] ?? 0)]));
  };
  const entities: SyncReport['entities'] = {};
  const cursors: { connection: string; object: string; cursor: Cursor }[] = [];
  /** Accounts whose deals changed this round: their people are classified again. */
  const dealAccounts = new Set<string>();
  if (!dryRun) await ctx.store.startRun(runId, ctx.config.sync.pair.join('-'));
  try {
    for (const entity of ORDER.filter((e) => ctx.config.objects[e] !== undefined)) {
      // Deletes and merges first: a record gone from one CRM is settled before anything could be written to it.
      const deleted = await applyDeletes(ctx, entity, dryRun);
      const pulled = await pullEntity(ctx, entity);
      const resolved = await resolveIdentities(ctx, entity, pulled.records);
      if (!dryRun) {
        await ctx.store.link(resolved.newLinks);
        await ctx.store.setMatchKeysMany(
          entity,
          [...resolved.matchKeys].map(([unifiedId, keys]) => ({ unifiedId, keys })),
        );
      }
      const groups =
        entity === 'person'
          ? [...resolved.groups, ...(await peopleOf(ctx, dealAccounts, resolved.groups))]
          : resolved.groups;
      const plan = await planEntity(ctx, entity, groups);
      if (entity === 'opportunity') for (const s of plan.snapshots) addAccount(dealAccounts, s.data);
      let quarantined = [
        ...pulled.quarantined,
        ...resolved.quarantined,
        ...plan.quarantined,
        ...deleted.quarantined,
      ];
      const report = {
        ...baseReport(pulled, plan, quarantined.length),
        deletes: { unlinked: deleted.unlinked, propagated: deleted.propagated, merged: deleted.merged },
      };
      if (!dryRun) {
        const pushed = await pushPlan(ctx, entity, plan);
        await ctx.store.link(pushed.links);
        await ctx.store.saveWritten(lastKnown(ctx, entity, resolved.groups, pushed));
        const saved = plan.snapshots.filter((s) => !pushed.failed.has(s.unifiedId));
        await ctx.store.saveSnapshots(saved);
        if (entity !== 'account') {
          // Index people and deals by account, so that each finds the other.
          await ctx.store.setMatchKeysMany(
            entity,
            saved.map((s) => ({
              unifiedId: s.unifiedId,
              keys: { account: [...addAccount(new Set(), s.data)] },
            })),
          );
        }
        quarantined = [...quarantined, ...pushed.quarantined];
        await ctx.store.quarantine(quarantined);
        entities[entity] = {
          ...report,
          creates: pushed.created,
          updates: pushed.updated,
          conversions: pushed.converted,
          quarantined: quarantined.length,
        };
      } else entities[entity] = report;
      cursors.push(...pulled.cursors);
    }
    if (!dryRun) for (const c of cursors) await ctx.store.saveCursor(c.connection, c.object, c.cursor);
  } catch (error) {
    if (!dryRun) {
      await ctx.store.finishRun(runId, 'failed', summary(entities, callsMade(), Date.now() - started, error));
    }
    throw error;
  }
  const durationMs = Date.now() - started;
  const calls = callsMade();
  if (!dryRun) await ctx.store.finishRun(runId, 'succeeded', summary(entities, calls, durationMs));
  return { runId, dryRun, apiCalls: calls, entities, durationMs };
}

/**
 * The hash of every record as crm-bridge last knew it: read this round, or written (a write wins). A record that
 * comes back with the same hash (an echo of a write, or an unchanged record re-read by the overlap window) is
 * skipped at the next pull.
 */
function lastKnown(
  ctx: SyncContext,
  entity: EntityName,
  groups: readonly Group[],
  pushed: PushOutcome,
): (ExternalKey & { hash: string })[] {
  const out = new Map<string, ExternalKey & { hash: string }>();
  for (const group of groups) {
    if (pushed.failed.has(group.unifiedId)) continue;
    for (const p of group.pulled) {
      const table = fieldTable(ctx.config, entity, p.connection, p.object);
      const key = { connection: p.connection, object: p.object, externalId: p.external.id };
      out.set(keyOf(key), { ...key, hash: hashValues(project(p.unified, table)) });
    }
  }
  for (const w of pushed.written) out.set(keyOf(w), w);
  return [...out.values()];
}

function baseReport(
  pulled: { read: Record<string, number>; records: unknown[]; echoes: number },
  plan: Plan,
  quarantined: number,
): Omit<EntityReport, 'deletes'> {
  return {
    read: pulled.read,
    changed: pulled.records.length,
    echoes: pulled.echoes,
    creates: count(plan.writes, true),
    updates: count(plan.writes, false),
    conversions: plan.conversions.length,
    conflicts: plan.conflicts,
    quarantined,
    samples: plan.writes.slice(0, 5).map(({ connection, object, create, diff, unifiedId }) => ({
      connection,
      object,
      create,
      diff,
      unifiedId,
    })),
  };
}

/** Adds a record's account (its unified id) to `into`; returns `into`. */
function addAccount(into: Set<string>, record: Readonly<Record<string, unknown>>): Set<string> {
  const id = (record.account as { id?: string } | null | undefined)?.id;
  if (id !== undefined) into.add(id);
  return into;
}

/** The people of these accounts who did not change this round, as groups to classify again. */
async function peopleOf(
  ctx: SyncContext,
  accounts: ReadonlySet<string>,
  changed: readonly Group[],
): Promise<Group[]> {
  if (accounts.size === 0) return [];
  const byAccount = await ctx.store.findByMatchKey('person', 'account', [...accounts]);
  const known = new Set(changed.map((g) => g.unifiedId));
  const ids = [...new Set([...byAccount.values()].flat())].filter((id) => !known.has(id));
  if (ids.length === 0) return [];
  const byId = new Map<string, IdentityLink[]>();
  for (const link of await ctx.store.linksOf(ids))
    byId.set(link.unifiedId, [...(byId.get(link.unifiedId) ?? []), link]);
  return ids.map((unifiedId) => ({ unifiedId, pulled: [], links: byId.get(unifiedId) ?? [] }));
}

/** Calls each connector has made so far, for those that count them. */
function apiCalls(ctx: SyncContext): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [connection, connector] of Object.entries(ctx.connectors)) {
    const n = connector.calls?.();
    if (n !== undefined) out[connection] = n;
  }
  return out;
}

function summary(
  entities: SyncReport['entities'],
  apiCalls: Record<string, number>,
  durationMs: number,
  error?: unknown,
) {
  const counts: Record<string, number> = {};
  for (const [entity, r] of Object.entries(entities)) {
    for (const [k, v] of Object.entries(r.creates)) counts[`${entity}.created.${k}`] = v;
    for (const [k, v] of Object.entries(r.updates)) counts[`${entity}.updated.${k}`] = v;
    counts[`${entity}.quarantined`] = r.quarantined;
    counts[`${entity}.conversions`] = r.conversions;
  }
  const errors: Record<string, number> = {};
  if (error !== undefined) errors[(error as { kind?: string }).kind ?? 'internal'] = 1;
  return { counts, apiCalls, errors, durationMs };
}
