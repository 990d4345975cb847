import type { ConnectorError } from '../../src/connector/errors.ts';
import type { Conversion, ConversionResult } from '../../src/connector/types.ts';
import {
  type AssociationWrite,
  chunks,
  readAssociations,
  writeAssociations,
} from './hubspot-associations.ts';
import { sendBatch } from './hubspot-batch.ts';
import type { Call } from './hubspot-call.ts';
import type { HubSpotObject, WriteInput } from './hubspot-client.ts';
import type { HubSpotDescriber } from './hubspot-describe.ts';
import { compareIds } from './hubspot-records.ts';

/** HubSpot's default sales pipeline id. */
const DEFAULT_PIPELINE = 'default';

interface Plan {
  readonly index: number;
  readonly conversion: Conversion;
  readonly contact: HubSpotObject;
  readonly target: string;
  readonly move: 'forward' | 'backward' | 'none';
  readonly accountId: string | undefined;
  /** The contact is not yet associated with the requested account. */
  readonly linkAccount: boolean;
  dealId: string | undefined;
  readonly createDeal: boolean;
}

/**
 * Advances contacts' lifecycle stages and creates deals, in batches. HubSpot silently ignores a lifecycle stage set
 * to an earlier one, so the current stage is read first and only forward moves are sent; a move back happens only
 * when the conversion allows it, as two requests (clear, then set), because batch calls do not promise an order.
 * A contact already at or past the stage (with a deal in the requested pipeline, when one is asked for) is
 * `alreadyConverted`: converting is idempotent.
 */
export async function convert(
  call: Call,
  describer: HubSpotDescriber,
  conversions: readonly Conversion[],
): Promise<ConversionResult[]> {
  if (conversions.length === 0) return [];
  const stages = await describer.lifecycleStages();
  const contacts = new Map<string, HubSpotObject>();
  for (const part of chunks([...new Set(conversions.map((c) => c.personId))], 100)) {
    const read = await call('standard', (api) =>
      api.batchRead('contacts', part, ['lifecyclestage', 'firstname', 'lastname', 'email']),
    );
    for (const row of read.results) contacts.set(row.id, row);
  }
  const targets = conversions.some((c) => c.createOpportunity) ? ['companies', 'deals'] : ['companies'];
  const links = await readAssociations(call, 'contacts', [...contacts.keys()], targets);
  const pipelineOf = await dealPipelines(
    call,
    [...links.values()].flatMap((l) => l.deals ?? []),
  );

  const failures = new Map<number, ConnectorError>();
  const plans: Plan[] = [];
  conversions.forEach((conversion, index) => {
    const contact = contacts.get(conversion.personId);
    const target =
      conversion.lifecycleStage ?? (conversion.createOpportunity ? 'opportunity' : 'salesqualifiedlead');
    if (!contact) {
      failures.set(index, {
        kind: 'not-found',
        message: `HubSpot has no contact ${conversion.personId}`,
        code: 'OBJECT_NOT_FOUND',
      });
      return;
    }
    const to = stages.indexOf(target);
    if (to < 0) {
      failures.set(index, {
        kind: 'invalid',
        message: `"${target}" is not a lifecycle stage of this portal (${stages.join(', ')})`,
        code: 'INVALID_OPTION',
        fields: ['lifecyclestage'],
      });
      return;
    }
    const current = contact.properties.lifecyclestage;
    const from = current ? stages.indexOf(current) : -1;
    const linked = links.get(contact.id) ?? {};
    const pipeline = conversion.deal?.pipeline ?? DEFAULT_PIPELINE;
    const dealId = [...(linked.deals ?? [])].sort(compareIds).find((id) => pipelineOf.get(id) === pipeline);
    plans.push({
      index,
      conversion,
      contact,
      target,
      move: from < to ? 'forward' : from > to && conversion.allowBackward === true ? 'backward' : 'none',
      accountId: conversion.accountId ?? linked.companies?.[0],
      linkAccount:
        conversion.accountId !== undefined && !(linked.companies ?? []).includes(conversion.accountId),
      dealId,
      createDeal: conversion.createOpportunity && dealId === undefined,
    });
  });

  const stageInput = (p: Plan, value: string): WriteInput => ({
    id: p.contact.id,
    objectWriteTraceId: String(p.index),
    properties: { lifecyclestage: value },
  });
  const apply = async (list: Plan[], value: (p: Plan) => string) => {
    for (const part of chunks(list, 100)) {
      const outcomes = await sendBatch(
        call,
        'update',
        'contacts',
        part.map((p) => stageInput(p, value(p))),
      );
      for (const [trace, outcome] of outcomes) if (!outcome.ok) failures.set(Number(trace), outcome.error);
    }
  };
  const live = () => plans.filter((p) => !failures.has(p.index));
  await apply(
    live().filter((p) => p.move === 'backward'),
    () => '',
  );
  await apply(
    live().filter((p) => p.move !== 'none'),
    (p) => p.target,
  );
  await createDeals(
    call,
    live().filter((p) => p.createDeal),
    failures,
  );

  const dealLinks: AssociationWrite[] = [];
  const contactLinks: AssociationWrite[] = [];
  for (const p of live()) {
    if (p.createDeal && p.dealId) {
      dealLinks.push({ from: p.dealId, toType: 'contacts', to: p.contact.id });
      if (p.accountId) dealLinks.push({ from: p.dealId, toType: 'companies', to: p.accountId });
    }
    if (p.linkAccount && p.accountId)
      contactLinks.push({ from: p.contact.id, toType: 'companies', to: p.accountId });
  }
  const failedDeals = await writeAssociations(call, 'deals', dealLinks);
  const failedContacts = await writeAssociations(call, 'contacts', contactLinks);
  for (const p of live()) {
    const error = (p.dealId ? failedDeals.get(p.dealId) : undefined) ?? failedContacts.get(p.contact.id);
    if (error) failures.set(p.index, error);
  }

  return conversions.map((conversion, index): ConversionResult => {
    const error = failures.get(index);
    if (error) return { ref: conversion.ref, ok: false, error };
    const plan = plans.find((p) => p.index === index) as Plan;
    return {
      ref: conversion.ref,
      ok: true,
      contactId: plan.contact.id,
      ...(plan.accountId ? { accountId: plan.accountId } : {}),
      ...(plan.dealId ? { opportunityId: plan.dealId } : {}),
      alreadyConverted: plan.move === 'none' && !plan.createDeal && !plan.linkAccount,
    };
  });
}

/** The pipeline of each deal, in one batch read per 100 deals. */
async function dealPipelines(call: Call, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(ids)], 100)) {
    const read = await call('standard', (api) => api.batchRead('deals', part, ['pipeline']));
    for (const row of read.results) out.set(row.id, row.properties.pipeline ?? DEFAULT_PIPELINE);
  }
  return out;
}

async function createDeals(call: Call, plans: Plan[], failures: Map<number, ConnectorError>): Promise<void> {
  for (const part of chunks(plans, 100)) {
    const inputs = part.map((p): WriteInput => {
      const { firstname, lastname, email } = p.contact.properties;
      const who = [firstname, lastname].filter(Boolean).join(' ') || email || `contact ${p.contact.id}`;
      const deal = p.conversion.deal;
      return {
        objectWriteTraceId: String(p.index),
        properties: {
          dealname: p.conversion.opportunityName ?? `${who} - new deal`,
          pipeline: deal?.pipeline ?? DEFAULT_PIPELINE,
          dealstage: deal?.stage ?? 'appointmentscheduled',
          ...(deal?.amount !== undefined ? { amount: String(deal.amount) } : {}),
        },
      };
    });
    const outcomes = await sendBatch(call, 'create', 'deals', inputs);
    for (const p of part) {
      const outcome = outcomes.get(String(p.index));
      if (outcome?.ok) p.dealId = outcome.id;
      else
        failures.set(p.index, outcome?.error ?? { kind: 'unavailable', message: 'the deal was not created' });
    }
  }
}
