/**
 * The standard picklist values of a new Salesforce org, before any admin edits them: what describe lists for each
 * standard picklist field (Setup → Object Manager → field → Values), as collected in crm-bridge's API reference
 * (REFERENCE-APIS.md, section I, "Salesforce standard picklists of a new org"). Real orgs add, rename and deactivate
 * values, so code that talks to an org reads its picklists from describe; these lists are what a new org starts with,
 * for the sandbox and for checking value maps against.
 */

/** Lead Source, shared by Lead, Contact and Opportunity. */
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] as const;

/** Lead Status, in its sort order. */
export const LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
] as const;

/** The Lead Status a new lead gets (the picklist's default value). */
export const DEFAULT_LEAD_STATUS = 'Open - Not Contacted';

/** The converted Lead Status (LeadStatus.IsConverted = true): the one a conversion sets. */
export const CONVERTED_LEAD_STATUS = 'Closed - Converted';

/** Lead Rating (Account has the same). */
export const RATINGS = ['Hot', 'Warm', 'Cold'] as const;

/** Industry, shared by Lead and Account: all 32 values. */
export const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Other',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
] as const;

/** Salutation, shared by Lead and Contact (orgs created since Mx. was added have it). */
export const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'] as const;

/** Account Type. */
export const ACCOUNT_TYPES = [
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Installation Partner',
  'Technology Partner',
  'Other',
] as const;

/** Opportunity Stage, in the order of the sales process; the last two are closed (won, lost). */
export const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
] as const;

/** Opportunity Type. */
export const OPPORTUNITY_TYPES = [
  'Existing Customer - Upgrade',
  'Existing Customer - Replacement',
  'Existing Customer - Downgrade',
  'New Customer',
] as const;

/** Every standard picklist of a new org by `Object.Field`. */
export const SALESFORCE_STANDARD_PICKLISTS = {
  'Lead.LeadSource': LEAD_SOURCES,
  'Lead.Status': LEAD_STATUSES,
  'Lead.Rating': RATINGS,
  'Lead.Industry': INDUSTRIES,
  'Lead.Salutation': SALUTATIONS,
  'Contact.LeadSource': LEAD_SOURCES,
  'Contact.Salutation': SALUTATIONS,
  'Account.Industry': INDUSTRIES,
  'Account.Type': ACCOUNT_TYPES,
  'Account.Rating': RATINGS,
  'Opportunity.StageName': OPPORTUNITY_STAGES,
  'Opportunity.Type': OPPORTUNITY_TYPES,
  'Opportunity.LeadSource': LEAD_SOURCES,
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** A standard picklist's `Object.Field` name. */
export type StandardPicklist = keyof typeof SALESFORCE_STANDARD_PICKLISTS;

/** The picklists of a new org that have a default value (describe's `defaultValue: true`). */
export const STANDARD_PICKLIST_DEFAULTS: Readonly<Partial<Record<StandardPicklist, string>>> = {
  'Lead.Status': DEFAULT_LEAD_STATUS,
};
