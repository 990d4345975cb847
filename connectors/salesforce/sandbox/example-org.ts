import type { SalesforceSandboxOptions } from './sandbox.ts';

/**
 * Lead Source values config/example.yaml writes that a new org lacks: the org's admin adds them before the example
 * mapping syncs there (Lead Source is one value set, shared by Lead, Contact and Opportunity).
 */
export const EXAMPLE_PICKLIST_VALUES = {
  'Lead.LeadSource': ['Email', 'Social'],
  'Contact.LeadSource': ['Email', 'Social'],
  'Opportunity.LeadSource': ['Email', 'Social'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** The org config/example.yaml expects: a new org plus what its admin set up for crm-bridge. */
export const EXAMPLE_ORG = {
  picklistValues: EXAMPLE_PICKLIST_VALUES,
} as const satisfies SalesforceSandboxOptions;
