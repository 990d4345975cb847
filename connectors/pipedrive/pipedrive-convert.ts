import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { Conversion, ConversionResult } from '../../src/connector/types.ts';
import type { Call } from './pipedrive-call.ts';
import type { RawRecord } from './pipedrive-client.ts';
import { convertPerson, placement } from './pipedrive-convert-person.ts';
import type { PipedriveDescriber } from './pipedrive-describe.ts';

/** How a conversion job is waited for. */
export interface ConversionPoll {
  readonly everyMs: number;
  readonly attempts: number;
}

/** How many of the newest deals are searched for the one a lead became, when the lead is gone. */
const NEWEST_DEALS = 2000;

const idOf = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

function converted(ref: string, deal: RawRecord, already: boolean): ConversionResult {
  const contactId = idOf(deal.person_id);
  const accountId = idOf(deal.org_id);
  return {
    ref,
    ok: true,
    contactId: contactId ?? '',
    ...(accountId ? { accountId } : {}),
    opportunityId: String(deal.id),
    alreadyConverted: already,
  };
}

/**
 * Converts Pipedrive leads into deals (`POST /api/v2/leads/:id/convert/deal`, then the job's status until it is
 * done): the deal keeps the lead's person and organization, which the result names as contact and account. A lead
 * is deleted by its conversion, so a lead that is gone is looked for among the newest deals by `source_lead_id`:
 * converting again returns the same deal as `alreadyConverted`. `accountId` first links the lead to that
 * organization; `deal.stage` (a stage's name or id) places the deal. A person's id (a number, where a lead's is a
 * UUID) is converted as `convertPerson` says: through its open lead, when it has one. A lead with no person is refused: crm-bridge converts a
 * person.
 */
export async function convert(
  call: Call,
  describer: PipedriveDescriber,
  conversions: readonly Conversion[],
  poll: ConversionPoll,
): Promise<ConversionResult[]> {
  const out: ConversionResult[] = [];
  for (const conversion of conversions) {
    try {
      out.push(
        /^\d+$/.test(conversion.personId)
          ? await convertPerson(call, describer, conversion, (lead, accountId) =>
              convertOne(
                call,
                describer,
                { ...conversion, personId: lead, ...(accountId === undefined ? {} : { accountId }) },
                poll,
              ),
            )
          : await convertOne(call, describer, conversion, poll),
      );
    } catch (error) {
      if (!(error instanceof ConnectorFailure) || error.retryable || error.kind === 'auth') throw error;
      out.push({
        ref: conversion.ref,
        ok: false,
        error: { kind: error.kind, message: error.message, ...(error.code ? { code: error.code } : {}) },
      });
    }
  }
  return out;
}

async function convertOne(
  call: Call,
  describer: PipedriveDescriber,
  conversion: Conversion,
  poll: ConversionPoll,
): Promise<ConversionResult> {
  const id = conversion.personId;
  let lead: RawRecord;
  try {
    lead = await call((api) => api.get('leads', id));
  } catch (error) {
    if (!(error instanceof ConnectorFailure && error.kind === 'not-found')) throw error;
    const deal = await dealFrom(call, id);
    if (deal) return converted(conversion.ref, deal, true);
    throw new ConnectorFailure({
      kind: 'not-found',
      message: `Pipedrive has no lead ${id}, and none of the newest ${NEWEST_DEALS} deals was made from it`,
    });
  }
  if (lead.person_id === null || lead.person_id === undefined) {
    throw new ConnectorFailure({
      kind: 'invalid',
      message: `lead ${id} has no person: link it to a person before it is converted`,
      fields: ['person_id'],
    });
  }
  if (conversion.accountId !== undefined && String(lead.organization_id ?? '') !== conversion.accountId) {
    const organization = Number(conversion.accountId);
    await call((api) => api.update('leads', id, { organization_id: organization }));
  }
  const { stageId: stage } = placement(await describer.fields('deals'), conversion.deal);
  const job = await call((api) => api.convertLead(id, stage));
  for (let attempt = 0; attempt < poll.attempts; attempt++) {
    const status = await call((api) => api.conversionStatus(id, job));
    if (status.status === 'completed' && status.dealId !== undefined) {
      const dealId = String(status.dealId);
      const deal = await call((api) => api.get('deals', dealId));
      return converted(conversion.ref, deal, false);
    }
    if (status.status === 'failed' || status.status === 'rejected') {
      throw new ConnectorFailure({
        kind: 'invalid',
        message: `Pipedrive's conversion of lead ${id} ${status.status}`,
        code: status.status.toUpperCase(),
      });
    }
    await sleep(poll.everyMs);
  }
  throw new ConnectorFailure({
    kind: 'unavailable',
    message: `Pipedrive's conversion of lead ${id} did not complete after ${poll.attempts} status checks; converting again finds its deal`,
  });
}

/** The deal made from lead `leadId`, among the newest deals; undefined when there is none. */
async function dealFrom(call: Call, leadId: string): Promise<RawRecord | undefined> {
  let cursor: string | undefined;
  let read = 0;
  do {
    const after = cursor;
    const page = await call((api) => api.newestDeals(500, after));
    const deal = page.records.find((d) => d.source_lead_id === leadId);
    if (deal) return deal;
    read += page.records.length;
    cursor = page.nextCursor;
  } while (cursor && read < NEWEST_DEALS);
  return undefined;
}
