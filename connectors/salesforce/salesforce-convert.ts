import type { ConnectorError } from '../../src/connector/errors.ts';
import type { Conversion, ConversionResult } from '../../src/connector/types.ts';
import type { LeadConvertRequest, LeadConvertResult } from './salesforce-client.ts';
import { isAmbiguous, kindOf, recordError } from './salesforce-errors.ts';
import { buildSelect, inList, isSalesforceId, malformedId } from './salesforce-query.ts';
import { queryRecords } from './salesforce-records.ts';
import { backoff, sleep } from './salesforce-retry.ts';
import type { Session } from './salesforce-session.ts';

/** convertLead takes at most 100 leads per call. */
export const MAX_CONVERT = 100;

interface LeadState {
  readonly Id: string;
  readonly IsConverted: boolean;
  readonly ConvertedContactId?: string | null;
  readonly ConvertedAccountId?: string | null;
  readonly ConvertedOpportunityId?: string | null;
}

/**
 * Converts leads through SOAP convertLead, 100 per call. Idempotent: leads already converted are not sent again;
 * their result names the contact, account and opportunity they became, with `alreadyConverted: true`.
 */
export async function convertLeads(
  session: Session,
  conversions: readonly Conversion[],
  convertedStatus: () => Promise<string>,
): Promise<ConversionResult[]> {
  const results: (ConversionResult | undefined)[] = new Array(conversions.length);
  const valid: number[] = [];
  conversions.forEach((c, i) => {
    const bad = [c.personId, c.accountId].find((id) => id !== undefined && !isSalesforceId(id));
    if (bad === undefined) valid.push(i);
    else results[i] = failed(c.ref, malformedId(bad));
  });
  // Leads the caller has just read unconverted are sent at once; a "converted meanwhile" refusal is settled below.
  const fresh = valid.filter((i) => (conversions[i] as Conversion).expectUnconverted === true);
  const leads = await readLeads(
    session,
    valid.filter((i) => !fresh.includes(i)).map((i) => (conversions[i] as Conversion).personId),
  );
  const toConvert: number[] = [...fresh];
  for (const i of valid) {
    if (fresh.includes(i)) continue;
    const c = conversions[i] as Conversion;
    const lead = leads.get(c.personId);
    if (!lead)
      results[i] = failed(c.ref, { kind: 'not-found', code: 'NOT_FOUND', message: `no lead ${c.personId}` });
    else if (lead.IsConverted) results[i] = already(c.ref, lead);
    else toConvert.push(i);
  }
  const needsStatus = toConvert.some((i) => (conversions[i] as Conversion).convertedStatus === undefined);
  const status = needsStatus ? await convertedStatus() : '';
  for (let start = 0; start < toConvert.length; start += MAX_CONVERT) {
    const batch = toConvert.slice(start, start + MAX_CONVERT);
    await convertBatch(session, conversions, batch, status, results);
  }
  return results.map(
    (r, i) => r ?? failed(conversions[i]?.ref ?? '', { kind: 'unavailable', message: 'no result' }),
  );
}

async function convertBatch(
  session: Session,
  conversions: readonly Conversion[],
  batch: number[],
  status: string,
  results: (ConversionResult | undefined)[],
): Promise<void> {
  let pending = batch;
  // Leads sent in a call whose answer was lost: if a retry finds them converted, that conversion was ours.
  const unanswered = new Set<number>();
  for (let attempt = 0; pending.length > 0; attempt++) {
    const requests = pending.map((i) => request(conversions[i] as Conversion, status));
    const sent = pending;
    const answers: LeadConvertResult[] = await session.call(
      (c) => c.convertLead(requests),
      async (failure) => {
        if (isAmbiguous(failure)) for (const i of sent) unanswered.add(i);
      },
    );
    const retry: number[] = [];
    const raced: number[] = [];
    pending.forEach((i, k) => {
      const c = conversions[i] as Conversion;
      const answer = answers[k];
      const errors = answer?.errors ?? [];
      const code = errors[0]?.statusCode ?? errors[0]?.errorCode;
      if (answer?.success && answer.contactId) {
        results[i] = {
          ref: c.ref,
          ok: true,
          contactId: answer.contactId,
          ...(answer.accountId ? { accountId: answer.accountId } : {}),
          ...(answer.opportunityId ? { opportunityId: answer.opportunityId } : {}),
          alreadyConverted: false,
        };
      } else if (code === 'CANNOT_UPDATE_CONVERTED_LEAD') raced.push(i);
      else if (kindOf(code) === 'unavailable' && attempt + 1 < session.retry.attempts) retry.push(i);
      else
        results[i] = failed(
          c.ref,
          errors[0]
            ? recordError(errors[0], session.secrets())
            : { kind: 'unavailable', message: 'no result' },
        );
    });
    if (raced.length > 0) {
      // Converted since we looked (by someone else, or by our own call whose answer was lost): report what it became.
      const now = await readLeads(
        session,
        raced.map((i) => (conversions[i] as Conversion).personId),
      );
      for (const i of raced) {
        const c = conversions[i] as Conversion;
        const lead = now.get(c.personId);
        results[i] = lead?.IsConverted
          ? already(c.ref, lead, !unanswered.has(i))
          : failed(c.ref, {
              kind: 'conflict',
              code: 'CANNOT_UPDATE_CONVERTED_LEAD',
              message: 'the lead changed during conversion',
            });
      }
    }
    pending = retry;
    if (pending.length > 0) await sleep(backoff(session.retry, attempt));
  }
}

function request(c: Conversion, status: string): LeadConvertRequest {
  return {
    leadId: c.personId,
    convertedStatus: c.convertedStatus ?? status,
    doNotCreateOpportunity: !c.createOpportunity,
    overwriteLeadSource: false,
    sendNotificationEmail: false,
    ...(c.accountId !== undefined ? { accountId: c.accountId } : {}),
    ...(c.createOpportunity && c.opportunityName !== undefined ? { opportunityName: c.opportunityName } : {}),
  };
}

async function readLeads(session: Session, ids: readonly string[]): Promise<Map<string, LeadState>> {
  const found = new Map<string, LeadState>();
  const fields = ['Id', 'IsConverted', 'ConvertedContactId', 'ConvertedAccountId', 'ConvertedOpportunityId'];
  for (let start = 0; start < ids.length; start += 200) {
    const soql = buildSelect({
      object: 'Lead',
      fields,
      where: [inList('Id', ids.slice(start, start + 200))],
    });
    for await (const records of queryRecords(session, soql)) {
      for (const r of records) found.set(String(r.Id), r as unknown as LeadState);
    }
  }
  // Callers may hold 15-character ids; Salesforce answers with 18.
  for (const [id, lead] of [...found]) found.set(id.slice(0, 15), lead);
  return found;
}

/** What a lead converted earlier became; a converted lead whose contact Salesforce does not name is a conflict. */
function already(ref: string, lead: LeadState, before = true): ConversionResult {
  if (!lead.ConvertedContactId) {
    return failed(ref, {
      kind: 'conflict',
      code: 'CONVERTED_WITHOUT_CONTACT',
      message: `lead ${lead.Id} is converted, but Salesforce names no contact it became`,
    });
  }
  return {
    ref,
    ok: true,
    contactId: lead.ConvertedContactId,
    ...(lead.ConvertedAccountId ? { accountId: lead.ConvertedAccountId } : {}),
    ...(lead.ConvertedOpportunityId ? { opportunityId: lead.ConvertedOpportunityId } : {}),
    alreadyConverted: before,
  };
}

function failed(ref: string, error: ConnectorError): ConversionResult {
  return { ref, ok: false, error };
}
