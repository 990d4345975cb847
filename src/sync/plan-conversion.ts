import type { Classification } from '../policy/index.ts';
import type { IdentityLink } from '../store/index.ts';
import type { SyncContext } from './context.ts';
import { fieldTable } from './field-table.ts';
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
  const opportunityFromConversion = ctx.config.sync.pair.some(
    (c) => profileOf(ctx.config, c).conversion === 'convertLead' && decision.salesforce.createOpportunity,
  );
  const wasReady = base !== undefined && base.lifecycleStage === record.lifecycleStage;
  if (
    how !== 'lifecycle' ||
    person === undefined ||
    wasReady ||
    opportunityFromConversion ||
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
