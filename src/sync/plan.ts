import type { Conversion, Write } from '../connector/types.ts';
import type { UnifiedInputs } from '../mapping/index.ts';
import {
  type Account,
  type EntityName,
  FIELD_CATALOG,
  type Opportunity,
  type Person,
} from '../model/index.ts';
import { type Classification, classify } from '../policy/index.ts';
import type { ExternalKey, IdentityLink, NewQuarantineEntry } from '../store/index.ts';
import { attachByDomain } from './account-match.ts';
import { assemble, entityFields } from './assemble.ts';
import type { SyncContext } from './context.ts';
import { fieldTable, type MappedField, objectsOf } from './field-table.ts';
import { refsFor } from './links.ts';
import { isBlank, sameValue } from './merge.ts';
import { hashValues, project } from './projection.ts';
import type { Group } from './resolve.ts';

type Bag = Record<string, unknown>;

/** A write to one external record, with what it changes. */
export interface PlannedWrite {
  readonly entity: EntityName;
  readonly unifiedId: string;
  readonly connection: string;
  readonly object: string;
  readonly write: Write;
  readonly create: boolean;
  /** The changed unified fields: value there now → value written. */
  readonly diff: Readonly<Record<string, { from: unknown; to: unknown }>>;
  /** The hash of the record's mapped values once written, for echo suppression. */
  readonly hash: string;
  /** The record the values came from, which a failed create is reported against (the target has none yet). */
  readonly source: ExternalKey | undefined;
}

export interface PlannedConversion {
  readonly unifiedId: string;
  readonly connection: string;
  readonly conversion: Conversion;
}

export interface Plan {
  readonly writes: PlannedWrite[];
  readonly conversions: PlannedConversion[];
  readonly snapshots: { unifiedId: string; entity: EntityName; data: Bag }[];
  readonly quarantined: NewQuarantineEntry[];
  conflicts: number;
  classified: number;
}

/** Plans the writes that make every group consistent in both connections. Reads the store; writes nothing. */
export async function planEntity(
  ctx: SyncContext,
  entity: EntityName,
  groups: readonly Group[],
): Promise<Plan> {
  const plan: Plan = {
    writes: [],
    conversions: [],
    snapshots: [],
    quarantined: [],
    conflicts: 0,
    classified: 0,
  };
  const fields = entityFields(ctx, entity);
  const bases = await ctx.store.snapshots(groups.map((g) => g.unifiedId));
  const assembled = groups.map((group) => ({
    group,
    ...assemble(ctx, entity, group, bases.get(group.unifiedId), fields),
  }));
  if (entity === 'person')
    await attachByDomain(
      ctx,
      assembled.map((a) => a.record),
    );
  const { accounts, deals } =
    entity === 'person'
      ? await accountsOf(
          ctx,
          assembled.map((a) => a.record),
        )
      : { accounts: new Map<string, Bag>(), deals: new Map<string, Opportunity[]>() };

  const classifications = new Map<string, Classification>();
  for (const { group, record, merge } of assembled) {
    plan.conflicts += merge.conflicts.length;
    if (entity === 'person' && ctx.policy !== undefined) {
      const person = record as Person;
      const account =
        person.account?.id === undefined ? undefined : (accounts.get(person.account.id) as Account);
      const opportunities = person.account?.id === undefined ? [] : (deals.get(person.account.id) ?? []);
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
    await refsFor(ctx.store, entity, connection, outgoing);
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
  return plan;
}

/** Stages at which a person is a customer-side Contact rather than a Lead, whatever else holds. */
const QUALIFIED = new Set(['opportunity', 'customer', 'evangelist']);

interface Target {
  readonly object: string;
  /** Absent: create. */
  readonly id?: string;
}

/** Where a unified record lives in a connection, or where a new one goes. Undefined: leave it alone. */
function targetOf(
  ctx: SyncContext,
  entity: EntityName,
  group: Group,
  connection: string,
  record: Bag,
  classification: Classification | undefined,
): Target | undefined {
  const links = group.links.filter((l) => l.connection === connection);
  const contact = links.find((l) => l.object !== 'Lead');
  const lead = links.find((l) => l.object === 'Lead');
  if (contact) return { object: contact.object, id: contact.externalId };
  if (lead)
    return (record.converted as Bag | null | undefined) ? undefined : { object: 'Lead', id: lead.externalId };
  const objects = objectsOf(ctx.config, entity, connection);
  if (entity === 'person' && objects.includes('Lead') && objects.includes('Contact')) {
    // Person routing: a qualified person, or one whose company is a known account, becomes a Contact.
    const account = (record.account as { refs?: Bag } | null | undefined)?.refs?.[connection];
    const stage = classification?.stage ?? record.lifecycleStage;
    const qualified = classification?.convert.required === true || QUALIFIED.has(stage as string);
    return { object: account !== undefined || qualified ? 'Contact' : 'Lead' };
  }
  const object = objects[0];
  return object === undefined ? undefined : { object };
}

function planWrite(
  ctx: SyncContext,
  entity: EntityName,
  group: Group,
  connection: string,
  target: Target,
  table: readonly MappedField[],
  outgoing: Bag,
  base: Bag | undefined,
  plan: Plan,
): PlannedWrite | undefined {
  const desired = project(outgoing, table);
  const pulled = group.pulled.find(
    (p) => p.connection === connection && p.object === target.object && p.external.id === target.id,
  );
  const current =
    target.id === undefined ? {} : pulled ? project(pulled.unified, table) : base ? project(base, table) : {};
  const create = target.id === undefined;
  const differs = table.filter((f) => f.writable && !sameValue(desired[f.unified], current[f.unified]));
  // A create carries every field that has a value once mapped (an outbound default counts).
  if (!create && differs.length === 0) return undefined;
  const mapped = ctx.mapping.toExternal(
    entity,
    connection,
    target.object,
    outgoing as UnifiedInputs[typeof entity],
  );
  const source = sourceOf(group);
  if (!mapped.ok) {
    for (const f of mapped.failures) {
      const where =
        create && source
          ? source
          : { connection, object: target.object, externalId: target.id ?? group.unifiedId };
      plan.quarantined.push({
        entity,
        ...where,
        field: f.unified,
        value: f.value,
        reason: `${f.external}: ${f.reason} (${create ? 'creating' : 'writing to'} ${connection} ${target.object})`,
      });
    }
    return undefined;
  }
  const changed = create
    ? table.filter((f) => f.writable && f.externals.some((name) => !isBlank(mapped.value[name])))
    : differs;
  if (changed.length === 0) return undefined;
  const fields: Bag = {};
  for (const f of changed)
    for (const name of f.externals) if (name in mapped.value) fields[name] = mapped.value[name];
  const diff = Object.fromEntries(
    changed.map((f) => [f.unified, { from: current[f.unified], to: desired[f.unified] }]),
  );
  const write: Write = {
    ref: group.unifiedId,
    fields,
    // Every record of the target was read (first round: a full load) and none matched: it is new there.
    ...(create ? { ...upsertKey(entity, table, mapped.value), expectNew: true } : { id: target.id }),
  };
  return {
    entity,
    unifiedId: group.unifiedId,
    connection,
    object: target.object,
    write,
    create,
    source,
    diff,
    hash: hashValues(
      echoOf(
        ctx,
        entity,
        connection,
        target.object,
        desired,
        table,
        changed,
        fields,
        heldFields(target, pulled),
      ),
    ),
  };
}

/**
 * The values the target will hold once written, as the next pull will map them: outbound and inbound transforms
 * (a default for a blank field, a truncation) can make them differ from the unified values, and the echo hash must
 * match what comes back. On a create the target holds just what was written; on an update of a record pulled this
 * round, what it held plus what was written; otherwise the unified values with the written fields read back.
 */
function echoOf(
  ctx: SyncContext,
  entity: EntityName,
  connection: string,
  object: string,
  desired: Bag,
  table: readonly MappedField[],
  changed: readonly MappedField[],
  written: Bag,
  held: Readonly<Bag> | undefined,
): Bag {
  const fields = held === undefined ? written : { ...held, ...written };
  const back = ctx.mapping.toUnified(entity, connection, object, { id: 'echo', fields });
  if (!back.ok) return desired;
  const catalog = FIELD_CATALOG[entity];
  const echoed = project(back.value, held === undefined ? changed : table);
  const out: Bag = held === undefined ? { ...desired } : {};
  for (const [field, value] of Object.entries(echoed)) {
    // A written link reads back unresolved; it points at the same unified record the desired value names.
    const type = catalog.get(field);
    out[field] = type === 'link' || type === 'linkList' ? desired[field] : value;
  }
  return out;
}

/** The record a group's values came from: its first pulled record (the representative of its connection). */
function sourceOf(group: Group): ExternalKey | undefined {
  const first = group.pulled[0];
  return first && { connection: first.connection, object: first.object, externalId: first.external.id };
}

/** What the target holds before the write, when known: nothing for a create, the pulled fields for an update. */
function heldFields(target: Target, pulled: Group['pulled'][number] | undefined): Readonly<Bag> | undefined {
  if (target.id === undefined) return {};
  return pulled?.external.fields;
}

/** A create is idempotent when a unique key lets a retried create find the record it made. */
function upsertKey(entity: EntityName, table: readonly MappedField[], values: Bag): Pick<Write, 'upsertBy'> {
  const key = table.find(
    (f) => f.unified === (entity === 'person' ? 'email' : entity === 'account' ? 'domain' : ''),
  );
  const field = key?.externals[0];
  const value = field === undefined ? undefined : values[field];
  return typeof value === 'string' && value !== '' && field !== undefined
    ? { upsertBy: { field, value } }
    : {};
}

/**
 * The conversion work a sales-ready person needs in one connection. Salesforce: convert the Lead (once: a
 * converted Lead, or a person who already has a Contact, needs none), attached to the matched account. HubSpot:
 * advance the lifecycle stage and create the deal, when the person becomes sales-ready in this round.
 */
function conversionOf(
  ctx: SyncContext,
  connection: string,
  group: Group,
  outgoing: Bag,
  record: Bag,
  base: Bag | undefined,
  classification: Classification | undefined,
): PlannedConversion | undefined {
  if (classification?.convert.required !== true) return undefined;
  const decision = classification.convert;
  const links = group.links.filter((l: IdentityLink) => l.connection === connection);
  const system = ctx.config.connections[connection]?.system;
  if (system === 'salesforce') {
    const lead = links.find((l) => l.object === 'Lead');
    if (!lead || record.converted || links.some((l) => l.object === 'Contact')) return undefined;
    const sf = decision.salesforce;
    const account = (outgoing.account as { refs?: Record<string, string> } | null | undefined)?.refs?.[
      connection
    ];
    return {
      unifiedId: group.unifiedId,
      connection,
      conversion: {
        ref: group.unifiedId,
        personId: lead.externalId,
        convertedStatus: sf.convertedStatus,
        createOpportunity: sf.createOpportunity,
        expectUnconverted: true,
        ...(account !== undefined && sf.attachToMatchedAccount ? { accountId: account } : {}),
      },
    };
  }
  const person = links[0];
  // Deals are synced records: when Salesforce's conversion creates the opportunity, it reaches HubSpot as a deal,
  // and creating one here as well would make two.
  const opportunityFromSalesforce = ctx.config.sync.pair.some(
    (c) => ctx.config.connections[c]?.system === 'salesforce' && decision.salesforce.createOpportunity,
  );
  const wasReady = base !== undefined && base.lifecycleStage === record.lifecycleStage;
  if (
    system !== 'hubspot' ||
    person === undefined ||
    wasReady ||
    opportunityFromSalesforce ||
    !decision.hubspot.createDeal
  )
    return undefined;
  const stage = externalValue(ctx, connection, person.object, decision.hubspot.lifecycleStage);
  return {
    unifiedId: group.unifiedId,
    connection,
    conversion: {
      ref: group.unifiedId,
      personId: person.externalId,
      createOpportunity: true,
      opportunityName: [record.firstName, record.lastName, record.company].filter(Boolean).join(' '),
      ...(stage === undefined ? {} : { lifecycleStage: stage }),
      deal: { pipeline: decision.hubspot.pipeline, stage: decision.hubspot.dealStage },
    },
  };
}

/** The external value a unified lifecycle stage is written as in a connection (through its value map). */
function externalValue(
  ctx: SyncContext,
  connection: string,
  object: string,
  stage: string,
): string | undefined {
  const mapped = ctx.mapping.toExternal('person', connection, object, {
    kind: 'lead',
    lifecycleStage: stage,
  });
  const field = fieldTable(ctx.config, 'person', connection, object).find(
    (f) => f.unified === 'lifecycleStage',
  );
  const value = mapped.ok && field ? mapped.value[field.externals[0] as string] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The snapshots of the accounts these people belong to, and each account's deals, by account unified id. */
async function accountsOf(
  ctx: SyncContext,
  people: readonly Bag[],
): Promise<{ accounts: Map<string, Bag>; deals: Map<string, Opportunity[]> }> {
  const ids = [
    ...new Set(
      people
        .map((p) => (p.account as { id?: string } | null | undefined)?.id)
        .filter((id): id is string => id !== undefined),
    ),
  ];
  if (ids.length === 0) return { accounts: new Map(), deals: new Map() };
  const accounts = await ctx.store.snapshots(ids);
  const dealIds = await ctx.store.findByMatchKey('opportunity', 'account', ids);
  const snapshots = await ctx.store.snapshots([...new Set([...dealIds.values()].flat())]);
  const deals = new Map<string, Opportunity[]>();
  for (const [account, opportunityIds] of dealIds) {
    const found = opportunityIds.map((id) => snapshots.get(id)).filter((d): d is Bag => d !== undefined);
    deals.set(account, found as unknown as Opportunity[]);
  }
  return { accounts, deals };
}
