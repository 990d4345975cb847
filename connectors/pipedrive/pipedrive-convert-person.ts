import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { Conversion, ConversionResult } from '../../src/connector/types.ts';
import type { Call } from './pipedrive-call.ts';
import type { ObjectFields, PipedriveDescriber } from './pipedrive-describe.ts';

/** The stage (and pipeline) a conversion's deal goes to, by name or id; the account's defaults when not named. */
export function placement(
  deals: ObjectFields,
  deal: Conversion['deal'],
): { stageId?: number; pipelineId?: number } {
  const find = (key: 'stage_id' | 'pipeline_id', value: string | undefined) => {
    if (value === undefined || value === '') return undefined;
    const options = deals.byKey.get(key)?.options ?? [];
    const found =
      options.find((o) => o.label === value) ??
      options.find((o) => o.label.toLowerCase() === value.toLowerCase()) ??
      options.find((o) => String(o.id) === value);
    if (found) return Number(found.id);
    throw new ConnectorFailure({
      kind: 'invalid',
      message: `Pipedrive has no ${key === 'stage_id' ? 'stage' : 'pipeline'} "${value}"; expected one of ${options.map((o) => o.label).join(', ')}`,
      fields: [key],
    });
  };
  const stageId = find('stage_id', deal?.stage);
  const pipelineId = find('pipeline_id', deal?.pipeline);
  return {
    ...(stageId !== undefined ? { stageId } : {}),
    ...(pipelineId !== undefined ? { pipelineId } : {}),
  };
}

/**
 * Converts a Pipedrive person, as a CRM of lifecycle stages does: a sales-ready person gets a deal. A person who has
 * a deal already is converted: the result names the oldest one, as `alreadyConverted`, and no second deal is made.
 * A person with an open lead in the Leads Inbox (Pipedrive's own lead: a prospective deal pointing at the person)
 * is converted the way Pipedrive converts leads, by `convertLead`: that lead becomes the deal, keeping its title,
 * value and custom values, and leaves the inbox. Otherwise a new deal is made (named `opportunityName`, in the
 * conversion's pipeline and stage, linked to the person and its organization). The person's lifecycle stage is an
 * ordinary field the sync writes, so nothing else changes here.
 */
export async function convertPerson(
  call: Call,
  describer: PipedriveDescriber,
  conversion: Conversion,
  convertLead: (leadId: string, accountId: string | undefined) => Promise<ConversionResult>,
): Promise<ConversionResult> {
  const id = conversion.personId;
  const person = await call((api) => api.get('persons', id));
  const accountId = person.org_id == null ? undefined : String(person.org_id);
  const base = { ref: conversion.ref, ok: true as const, contactId: id, ...(accountId ? { accountId } : {}) };
  const existing = await call((api) => api.dealsOf(Number(id)));
  const first = existing[0];
  if (first) return { ...base, opportunityId: String(first.id), alreadyConverted: true };
  if (!conversion.createOpportunity) return { ...base, alreadyConverted: false };
  const open = (await call((api) => api.leadsOf(Number(id)))).find((lead) => lead.is_archived !== true);
  // The deal belongs to the person's organization as well, when the lead names none.
  if (open !== undefined) return convertLead(String(open.id), conversion.accountId ?? accountId);
  const { stageId, pipelineId } = placement(await describer.fields('deals'), conversion.deal);
  const title = conversion.opportunityName?.trim() || `${String(person.name ?? 'Person')} deal`;
  const deal = await call(
    (api) =>
      api.create('deals', {
        title,
        person_id: Number(id),
        ...(accountId ? { org_id: Number(accountId) } : {}),
        ...(stageId !== undefined ? { stage_id: stageId } : {}),
        ...(pipelineId !== undefined ? { pipeline_id: pipelineId } : {}),
        ...(conversion.deal?.amount !== undefined ? { value: conversion.deal.amount } : {}),
      }),
    { creates: true },
  );
  return { ...base, opportunityId: String(deal.id), alreadyConverted: false };
}
