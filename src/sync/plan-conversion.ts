import type { Classification } from '../policy/index.ts';
import type { IdentityLink } from '../store/index.ts';
import type { DecideContext } from './context.ts';
import { fieldTable, objectsOf } from './field-table.ts';
import { personSplit, profileOf } from './person-objects.ts';
import type { PlannedConversion } from './plan-types.ts';
import type { Group } from './resolve.ts';

type Bag = Record<string, unknown>;

/**
 * The conversion work a sales-ready person needs in one connection. A CRM that converts leads (Salesforce): convert
 * the lead (once: a converted lead, or a person who already has a contact, needs none), attached to the matched
 * account. A CRM of lifecycle stages (HubSpot): advance the stage and create the deal, when the person becomes
 * sales-ready in this round.
 */
export function conversionOf(
  ctx: DecideContext,
  connection: string,
  group: Group,
  outgoing: Bag,
  record: Bag,
  base: Bag | undefined,
  classification: Classification | undefined,
): PlannedConversion | undefined {
  if (classification?.convert.required !== true) return undefined;
  // Conversion is a capability of the connector: a CRM whose connector cannot convert gets none planned.
  if (ctx.connectors[connection]?.convert === undefined) return undefined;
  const decision = classification.convert;
  const links = group.links.filter((l: IdentityLink) => l.connection === connection);
  const how = profileOf(ctx.config, connection).conversion;
  if (how === 'convertLead') {
    const split = personSplit(ctx.config, connection);
    const lead = links.find((l) => l.object === split?.lead);
    if (!lead || record.converted || links.some((l) => l.object === split?.contact)) return undefined;
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
  const converts = (c: string) => ctx.connectors[c]?.convert !== undefined;
  const opportunityFromConversion = ctx.config.sync.pair.some(
    (c) =>
      converts(c) &&
      profileOf(ctx.config, c).conversion === 'convertLead' &&
      decision.salesforce.createOpportunity,
  );
  // Two CRMs of lifecycle stages: the deal is made in the first of the pair only, and reaches the other as a deal.
  const dealMaker = ctx.config.sync.pair.find(
    (c) => converts(c) && profileOf(ctx.config, c).conversion === 'lifecycle',
  );
  // Converted in an earlier round: the stage stood still, or had reached the conversion's stage already (its deal
  // since moving the person on to opportunity).
  const rank = ctx.policy?.stage.rank;
  const reached = (stage: unknown) =>
    typeof stage === 'string' &&
    rank !== undefined &&
    (rank.get(stage) ?? -1) >= (rank.get(decision.hubspot.lifecycleStage) ?? Number.POSITIVE_INFINITY);
  const wasReady =
    base !== undefined && (base.lifecycleStage === record.lifecycleStage || reached(base.lifecycleStage));
  if (
    how !== 'lifecycle' ||
    person === undefined ||
    wasReady ||
    opportunityFromConversion ||
    dealMaker !== connection ||
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
      deal: {
        pipeline: dealValue(ctx, connection, 'pipeline', decision.hubspot.pipeline),
        stage: dealValue(ctx, connection, 'stage', decision.hubspot.dealStage),
      },
    },
  };
}

/**
 * The policy names the new deal's pipeline and stage as a CRM of lifecycle stages spells them. Where the deal is
 * made in a CRM that spells them otherwise, the value is read as unified through the opportunity's value map of
 * the connection that knows it, and written as `connection` spells it; a value no map knows is passed as it is.
 */
function dealValue(
  ctx: DecideContext,
  connection: string,
  unified: 'pipeline' | 'stage',
  value: string,
): string {
  const spelled = (c: string): { object: string; field: string } | undefined => {
    for (const object of objectsOf(ctx.config, 'opportunity', c)) {
      const field = fieldTable(ctx.config, 'opportunity', c, object).find((f) => f.unified === unified);
      if (field?.externals[0] !== undefined) return { object, field: field.externals[0] };
    }
    return undefined;
  };
  const read = (c: string): string | undefined => {
    const at = spelled(c);
    if (at === undefined) return undefined;
    const result = ctx.mapping.toUnified('opportunity', c, at.object, {
      id: 'deal',
      fields: { [at.field]: value },
    });
    const read = result.ok ? (result.value as Bag)[unified] : undefined;
    return typeof read === 'string' ? read : undefined;
  };
  const target = spelled(connection);
  if (target === undefined) return value;
  const write = (of: string): string | undefined => {
    const mapped = ctx.mapping.toExternal('opportunity', connection, target.object, {
      [unified]: of,
    } as never);
    const out = mapped.ok ? mapped.value[target.field] : undefined;
    return typeof out === 'string' ? out : undefined;
  };
  // The value as this connection spells it already: it reads back as itself.
  const own = read(connection);
  if (own !== undefined && write(own) === value) return value;
  for (const other of ctx.config.sync.pair) {
    if (other === connection) continue;
    const of = read(other);
    const out = of === undefined ? undefined : write(of);
    if (out !== undefined) return out;
  }
  return value;
}

/** The external value a unified lifecycle stage is written as in a connection (through its value map). */
function externalValue(
  ctx: DecideContext,
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
