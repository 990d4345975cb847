import { CONVERTED_STATUS } from './schema.ts';
import type { SandboxStore, StoredRecord } from './store.ts';
import { error, type RecordError } from './validation.ts';

/** One LeadConvert request as the SOAP API takes it. */
export interface LeadConvert {
  readonly leadId: string;
  /** Must be a LeadStatus with IsConverted = true. */
  readonly convertedStatus?: string;
  /** Attach to this account instead of creating one from the lead's company. */
  readonly accountId?: string;
  readonly doNotCreateOpportunity: boolean;
  /** The new opportunity's name (default: the company followed by a dash). */
  readonly opportunityName?: string;
}

export interface LeadConvertResult {
  readonly leadId: string;
  readonly success: boolean;
  /** What the lead became, on success. */
  readonly accountId?: string;
  readonly contactId?: string;
  readonly opportunityId?: string;
  readonly errors: readonly RecordError[];
}

const CONTACT_FIELDS = [
  'Salutation',
  'FirstName',
  'LastName',
  'Email',
  'Phone',
  'MobilePhone',
  'Title',
  'LeadSource',
  'Description',
  'HasOptedOutOfEmail',
  'DoNotCall',
];
const ADDRESS = ['Street', 'City', 'State', 'PostalCode', 'Country'];

function convertedStatuses(store: SandboxStore): Set<string> {
  const out = new Set<string>();
  for (const s of store.all('LeadStatus')) if (s.IsConverted === true) out.add(String(s.MasterLabel));
  return out;
}

/**
 * Converts a lead as Salesforce's convertLead does: creates a Contact (and an Account unless one is given, and an
 * Opportunity unless told not to), then marks the lead converted with the Converted* ids and the status.
 */
export function convertLead(store: SandboxStore, request: LeadConvert): LeadConvertResult {
  const fail = (...errors: RecordError[]): LeadConvertResult => ({
    leadId: request.leadId,
    success: false,
    errors,
  });
  const lead = store.get('Lead', request.leadId);
  if (!lead || lead.IsDeleted)
    return fail(error('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['leadId']));
  if (lead.IsConverted === true) {
    return fail(error('CANNOT_UPDATE_CONVERTED_LEAD', 'This lead was already converted', ['leadId']));
  }
  const status = request.convertedStatus ?? '';
  if (!convertedStatuses(store).has(status)) {
    return fail(error('INVALID_STATUS', `invalid convertedStatus: ${status}`, ['convertedStatus']));
  }
  let account: StoredRecord | undefined;
  if (request.accountId !== undefined) {
    account = store.get('Account', request.accountId);
    if (!account || account.IsDeleted) {
      return fail(error('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['accountId']));
    }
  } else {
    account = store.insert('Account', accountFrom(lead));
  }
  const contact = store.insert('Contact', { ...contactFrom(store, lead), AccountId: account.Id });
  let opportunityId: string | undefined;
  if (!request.doNotCreateOpportunity) {
    const opportunity = store.insert('Opportunity', {
      Name: request.opportunityName ?? `${String(lead.Company ?? lead.LastName)}-`,
      AccountId: account.Id,
      StageName: 'Prospecting',
      CloseDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      LeadSource: lead.LeadSource ?? null,
    });
    store.insert('OpportunityContactRole', {
      OpportunityId: opportunity.Id,
      ContactId: contact.Id,
      IsPrimary: true,
    });
    opportunityId = opportunity.Id;
  }
  store.update('Lead', lead.Id, {
    IsConverted: true,
    Status: status || CONVERTED_STATUS,
    ConvertedDate: new Date().toISOString().slice(0, 10),
    ConvertedAccountId: account.Id,
    ConvertedContactId: contact.Id,
    ConvertedOpportunityId: opportunityId ?? null,
  });
  return {
    leadId: lead.Id,
    success: true,
    accountId: account.Id,
    contactId: contact.Id,
    ...(opportunityId ? { opportunityId } : {}),
    errors: [],
  };
}

function accountFrom(lead: StoredRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { Name: lead.Company ?? lead.LastName };
  for (const f of ['Website', 'Phone', 'Industry', 'NumberOfEmployees', 'AnnualRevenue'])
    out[f] = lead[f] ?? null;
  for (const a of ADDRESS) out[`Billing${a}`] = lead[a] ?? null;
  return out;
}

/** The new contact: the lead's standard person fields, and the custom fields the org maps to Contact. */
function contactFrom(store: SandboxStore, lead: StoredRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of [...CONTACT_FIELDS, ...store.schema.convertedFields()]) out[f] = lead[f] ?? null;
  for (const a of ADDRESS) out[`Mailing${a}`] = lead[a] ?? null;
  return out;
}
