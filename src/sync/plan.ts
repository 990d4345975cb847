import { copyData } from '../model/copy.ts';
import type { Account, EntityName, Opportunity, Person } from '../model/index.ts';
import { type Classification, classify } from '../policy/index.ts';
import { keyOf } from '../store/index.ts';
import { attachByDomain } from './account-match.ts';
import { proposalFields } from './approvals.ts';
import { assemble, entityFields } from './assemble.ts';
import type { DecideContext } from './context.ts';
import { fieldTable, twinField } from './field-table.ts';
import { refsFor } from './links.ts';
import { leadObject } from './person-objects.ts';
import { contactKeysOf, mapsDealContacts, type PlanKnown } from './plan-known.ts';
import { emptyPlan, type Plan, type PlannedWrite } from './plan-types.ts';
import { hashValues, project } from './projection.ts';
import { type Group, keyOfPulled } from './resolve.ts';

type Bag = Record<string, unknown>;

import { conversionOf } from './plan-conversion.ts';
import { targetOf } from './plan-target.ts';
import { planWrite } from './plan-write.ts';

export type { Plan, PlannedConversion, PlannedWrite } from './plan-types.ts';
export { emptyPlan } from './plan-types.ts';

/**
 * Plans the writes that make every group consistent in both connections: merges each group over its snapshot,
 * classifies the people, and plans each connection's writes and conversions. Reads only what `loadPlanKnown` found;
 * writes nothing.
 */
export function planEntity(ctx: DecideContext, entity: EntityName, known: PlanKnown): Plan {
  const plan = emptyPlan();
  const fields = entityFields(ctx, entity);
  const assembled = known.groups.map((group) => ({
    group,
    ...assemble(ctx, entity, group, known.bases.get(group.unifiedId), fields),
  }));
  if (entity === 'person')
    attachByDomain(
      assembled.map((a) => a.record),
      known.accountsByDomain,
    );
  const opportunitiesOf = opportunitiesByPerson(ctx, known);

  const classifications = new Map<string, Classification>();
  for (const { group, record, merge } of assembled) {
    plan.conflicts += merge.conflicts.length;
    if (entity === 'person' && ctx.policy !== undefined) {
      const person = record as Person;
      const account =
        person.account?.id === undefined ? undefined : (known.accounts.get(person.account.id) as Account);
      const opportunities = opportunitiesOf(group, person);
      const classification = classify(person, account, opportunities, ctx.policy, {
        now: ctx.now(),
        trace: false,
        decision: known.decisions?.get(group.unifiedId),
      });
      Object.assign(record, {
        lifecycleStage: classification.stage,
        leadType: classification.leadType,
        temperature: classification.temperature,
        score: classification.score,
        ...proposalFields(classification, known.bases.get(group.unifiedId), ctx.now()),
      });
      classifications.set(group.unifiedId, classification);
      plan.classified++;
    }
    plan.snapshots.push({ unifiedId: group.unifiedId, entity, data: record });
  }

  for (const connection of ctx.config.sync.pair) {
    // Links are written with the target connection's ids.
    const outgoing = assembled.map((a) => copyData(a.record));
    refsFor(known.linksOf, entity, connection, outgoing, leadObject(ctx.config, connection));
    assembled.forEach(({ group, record }, i) => {
      const out = outgoing[i] as Bag;
      const classification = classifications.get(group.unifiedId);
      const base = known.bases.get(group.unifiedId);
      const target = targetOf(ctx, entity, group, connection, out, classification);
      if (target !== undefined) {
        const table = fieldTable(ctx.config, entity, connection, target.object);
        const write = planWrite(ctx, entity, group, connection, target, table, out, base, plan);
        if (write) plan.writes.push(write);
      }
      const conversion = conversionOf(ctx, connection, group, out, record, base, classification);
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
  ctx: DecideContext,
  entity: EntityName,
  plan: Plan,
  assembled: readonly { group: Group }[],
): PlannedWrite[] {
  const groups = new Map(assembled.map((a) => [a.group.unifiedId, a.group]));
  const added: PlannedWrite[] = [];
  // Looked up by key, not by scanning the plan for each create: a first sync plans hundreds of thousands of writes.
  const converting = new Set(plan.conversions.map((c) => `${c.unifiedId}\u0000${c.connection}`));
  const updates = new Map<string, number>();
  for (const [i, w] of plan.writes.entries()) {
    const key = `${w.unifiedId}\u0000${w.write.id}`;
    if (!w.create && w.write.id !== undefined && !updates.has(key)) updates.set(key, i);
  }
  for (const create of plan.writes.filter((w) => w.create)) {
    const source = create.source;
    if (source === undefined || source.connection === create.connection) continue;
    const field = twinField(ctx.config, entity, source.connection);
    const pulled = groups.get(create.unifiedId)?.pulled.find((p) => keyOf(keyOfPulled(p)) === keyOf(source));
    // A converted Lead is read-only, and one converted this round becomes read-only: its Contact gets the twin id
    // when it is next written.
    if (
      field === undefined ||
      pulled === undefined ||
      (pulled.unified as Bag).converted ||
      converting.has(`${create.unifiedId}\u0000${source.connection}`)
    )
      continue;
    const twinFrom = { field, connection: create.connection };
    const index = updates.get(`${create.unifiedId}\u0000${source.externalId}`) ?? -1;
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
 * Each person's opportunities: the deals they are on, when the config maps a deal's contacts (deals are indexed by
 * their contacts' records, `connection/externalId`, so a person's linked and pulled records find them); otherwise
 * their account's deals (a config that knows no more).
 */
function opportunitiesByPerson(
  ctx: DecideContext,
  known: PlanKnown,
): (group: Group, person: Person) => Opportunity[] {
  if (mapsDealContacts(ctx))
    return (group) => {
      // A deal found through two of the person's records is the same snapshot object: counted once.
      const seen = new Set<Bag>();
      for (const key of contactKeysOf(group)) for (const d of known.deals.get(key) ?? []) seen.add(d);
      return [...seen] as unknown as Opportunity[];
    };
  return (_group, person) =>
    person.account?.id === undefined
      ? []
      : ((known.deals.get(person.account.id) ?? []) as unknown as Opportunity[]);
}
