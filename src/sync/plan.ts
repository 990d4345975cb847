import {
  type Account,
  DEAL_CONTACTS,
  type EntityName,
  type Opportunity,
  type Person,
} from '../model/index.ts';
import { type Classification, classify } from '../policy/index.ts';
import { keyOf } from '../store/index.ts';
import { attachByDomain } from './account-match.ts';
import { assemble, entityFields } from './assemble.ts';
import type { SyncContext } from './context.ts';
import { fieldTable, twinField } from './field-table.ts';
import { refsFor } from './links.ts';
import { leadObject } from './person-objects.ts';
import type { Plan, PlannedWrite } from './plan-types.ts';
import { hashValues, project } from './projection.ts';
import { isHeld } from './pull.ts';
import { type Group, keyOfPulled } from './resolve.ts';
import { readUnseenTwins } from './twins.ts';

type Bag = Record<string, unknown>;

import { conversionOf } from './plan-conversion.ts';
import { targetOf } from './plan-target.ts';
import { planWrite } from './plan-write.ts';

export type { Plan, PlannedConversion, PlannedWrite } from './plan-types.ts';

/** A plan with nothing in it yet. */
export function emptyPlan(): Plan {
  return {
    writes: [],
    conversions: [],
    snapshots: [],
    quarantined: [],
    skipped: [],
    conflicts: 0,
    classified: 0,
  };
}

/**
 * Plans the writes that make every group consistent in both connections. Reads the store (and, for a record
 * without a snapshot, its linked twins that were not pulled); writes nothing.
 */
export async function planEntity(
  ctx: SyncContext,
  entity: EntityName,
  groups: readonly Group[],
): Promise<Plan> {
  const plan = emptyPlan();
  const fields = entityFields(ctx, entity);
  const held = await heldGroups(ctx, groups);
  const bases = await ctx.store.snapshots(groups.map((g) => g.unifiedId));
  const seen = await readUnseenTwins(
    ctx,
    entity,
    groups.filter((g) => !held.has(g.unifiedId)),
    bases,
  );
  const assembled = seen.groups
    .filter((g) => !seen.held.has(g.unifiedId))
    .map((group) => ({
      group,
      ...assemble(ctx, entity, group, bases.get(group.unifiedId), fields),
    }));
  if (entity === 'person')
    await attachByDomain(
      ctx,
      assembled.map((a) => a.record),
    );
  const people = entity === 'person' ? assembled : [];
  const accounts = await accountsOf(
    ctx,
    people.map((a) => a.record),
  );
  const opportunitiesOf = await opportunitiesByPerson(ctx, people);

  const classifications = new Map<string, Classification>();
  for (const { group, record, merge } of assembled) {
    plan.conflicts += merge.conflicts.length;
    if (entity === 'person' && ctx.policy !== undefined) {
      const person = record as Person;
      const account =
        person.account?.id === undefined ? undefined : (accounts.get(person.account.id) as Account);
      const opportunities = opportunitiesOf(group, person);
      const classification = classify(person, account, opportunities, ctx.policy, {
        now: ctx.now(),
        trace: false,
      });
      Object.assign(record, {
        lifecycleStage: classification.stage,
        leadType: classification.leadType,
        temperature: classification.temperature,
        score: classification.score,
      });
      classifications.set(group.unifiedId, classification);
      plan.classified++;
    }
    plan.snapshots.push({ unifiedId: group.unifiedId, entity, data: record });
  }

  for (const connection of ctx.config.sync.pair) {
    // Links are written with the target connection's ids: one batched look-up per connection.
    const outgoing = assembled.map((a) => structuredClone(a.record));
    await refsFor(ctx.store, entity, connection, outgoing, leadObject(ctx.config, connection));
    assembled.forEach(({ group, record }, i) => {
      const out = outgoing[i] as Bag;
      const classification = classifications.get(group.unifiedId);
      const target = targetOf(ctx, entity, group, connection, out, classification);
      if (target !== undefined) {
        const table = fieldTable(ctx.config, entity, connection, target.object);
        const write = planWrite(
          ctx,
          entity,
          group,
          connection,
          target,
          table,
          out,
          bases.get(group.unifiedId),
          plan,
        );
        if (write) plan.writes.push(write);
      }
      const conversion = conversionOf(
        ctx,
        connection,
        group,
        out,
        record,
        bases.get(group.unifiedId),
        classification,
      );
      if (conversion) plan.conversions.push(conversion);
    });
  }
  keepSkipped(plan, assembled);
  plan.writes.push(...twinsOfCreates(ctx, entity, plan, assembled));
  return plan;
}

/**
 * Gives the source of each create the new record's id as its twin id: its planned update carries it (so the
 * source is written once), or a write of the twin id alone does. Both wait for the creates (`twinFrom`). Returns
 * the writes to add.
 */
function twinsOfCreates(
  ctx: SyncContext,
  entity: EntityName,
  plan: Plan,
  assembled: readonly { group: Group }[],
): PlannedWrite[] {
  const groups = new Map(assembled.map((a) => [a.group.unifiedId, a.group]));
  const added: PlannedWrite[] = [];
  for (const create of plan.writes.filter((w) => w.create)) {
    const source = create.source;
    if (source === undefined || source.connection === create.connection) continue;
    const field = twinField(ctx.config, entity, source.connection);
    const pulled = groups.get(create.unifiedId)?.pulled.find((p) => keyOf(keyOfPulled(p)) === keyOf(source));
    // A converted Lead is read-only, and one converted this round becomes read-only: its Contact gets the twin id
    // when it is next written.
    const converting = plan.conversions.some(
      (c) => c.unifiedId === create.unifiedId && c.connection === source.connection,
    );
    if (field === undefined || pulled === undefined || (pulled.unified as Bag).converted || converting)
      continue;
    const twinFrom = { field, connection: create.connection };
    const index = plan.writes.findIndex(
      (w) => !w.create && w.unifiedId === create.unifiedId && w.write.id === source.externalId,
    );
    const update = plan.writes[index];
    if (update !== undefined) plan.writes[index] = { ...update, twinFrom };
    else
      added.push({
        entity,
        unifiedId: create.unifiedId,
        connection: source.connection,
        object: source.object,
        write: { ref: create.unifiedId, id: source.externalId, fields: {} },
        create: false,
        diff: { twinId: { from: null, to: `(new ${create.connection} ${create.object})` } },
        hash: hashValues(
          project(pulled.unified, fieldTable(ctx.config, entity, source.connection, source.object)),
        ),
        source,
        twinFrom,
      });
  }
  return added;
}

/**
 * Records in each snapshot (`skipped`, per connection) the fields a target kept its own value of because the
 * unified value had no counterpart there. A connection planned for again replaces its list; one not planned for
 * keeps the last.
 */
function keepSkipped(plan: Plan, assembled: readonly { group: Group; record: Bag }[]): void {
  const records = new Map(assembled.map((a) => [a.group.unifiedId, a.record]));
  for (const { unifiedId, connection, fields } of plan.skipped) {
    const record = records.get(unifiedId);
    if (record === undefined) continue;
    const skipped = { ...((record.skipped as Record<string, Bag> | undefined) ?? {}) };
    if (Object.keys(fields).length > 0) skipped[connection] = fields;
    else delete skipped[connection];
    if (Object.keys(skipped).length > 0) record.skipped = skipped;
    else delete record.skipped;
  }
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

/** The snapshots of the accounts these people belong to, by account unified id. */
async function accountsOf(ctx: SyncContext, people: readonly Bag[]): Promise<Map<string, Bag>> {
  const ids = new Set(
    people
      .map((p) => (p.account as { id?: string } | null | undefined)?.id)
      .filter((id): id is string => id !== undefined),
  );
  return ids.size === 0 ? new Map() : ctx.store.snapshots([...ids]);
}

/** The deals indexed under each of these match-key values, as last merged. */
async function dealsBy(
  ctx: SyncContext,
  key: 'account' | 'contact',
  values: readonly string[],
): Promise<Map<string, Opportunity[]>> {
  const out = new Map<string, Opportunity[]>();
  if (values.length === 0) return out;
  const dealIds = await ctx.store.findByMatchKey('opportunity', key, [...new Set(values)]);
  const snapshots = await ctx.store.snapshots([...new Set([...dealIds.values()].flat())]);
  for (const [value, ids] of dealIds)
    out.set(
      value,
      ids.map((id) => snapshots.get(id)).filter((d): d is Bag => d !== undefined) as unknown as Opportunity[],
    );
  return out;
}

/**
 * Each person's opportunities: the deals they are on, when the config maps a deal's contacts (deals are indexed by
 * their contacts' records, `connection/externalId`, so a person's linked and pulled records find them); otherwise
 * their account's deals (a config that knows no more). One look-up for all the people.
 */
async function opportunitiesByPerson(
  ctx: SyncContext,
  people: readonly { group: Group; record: Bag }[],
): Promise<(group: Group, person: Person) => Opportunity[]> {
  if (mapsDealContacts(ctx)) {
    const keysOf = (g: Group) => [
      ...new Set([
        ...g.links.map((l) => `${l.connection}/${l.externalId}`),
        ...g.pulled.map((p) => `${p.connection}/${p.external.id}`),
      ]),
    ];
    const byContact = await dealsBy(
      ctx,
      'contact',
      people.flatMap((a) => keysOf(a.group)),
    );
    return (group) => {
      // A deal found through two of the person's records is the same snapshot object: counted once.
      const seen = new Set<Opportunity>();
      for (const key of keysOf(group)) for (const d of byContact.get(key) ?? []) seen.add(d);
      return [...seen];
    };
  }
  const accountIds = people
    .map((a) => (a.record.account as { id?: string } | null | undefined)?.id)
    .filter((id): id is string => id !== undefined);
  const byAccount = await dealsBy(ctx, 'account', accountIds);
  return (_group, person) =>
    person.account?.id === undefined ? [] : (byAccount.get(person.account.id) ?? []);
}

/** Whether the config maps a deal's contacts (the people on it) in any connection. */
function mapsDealContacts(ctx: SyncContext): boolean {
  return ctx.config.objects.opportunity?.fields.some((f) => f.unified === DEAL_CONTACTS) === true;
}
