import type { DemoCounts } from '../sandboxes/demo-data.ts';
import type { HubSpotSandbox } from '../sandboxes/hubspot/index.ts';
import { type SalesforceSandbox, SeedGenerator } from '../sandboxes/salesforce/index.ts';

/** What `seedScale` put in each sandbox: the demo's counts, and how many people in all. */
export interface ScaleCounts extends Omit<DemoCounts, 'overlap'> {
  readonly people: number;
  /** HubSpot contacts that are also Salesforce Leads (same e-mail). */
  readonly inBoth: number;
}

/**
 * The shape the performance targets measure a first sync on: `people` distinct people of whom 30 % are in both CRMs (45 % are
 * Salesforce Leads, 25 % Salesforce Contacts, 30 % only in HubSpot), one account or company per 10 people and one
 * opportunity or deal per 10 people, split evenly between the two CRMs (100k people: 10k of each).
 */
export function seedScale(sf: SalesforceSandbox, hs: HubSpotSandbox, people: number): ScaleCounts {
  const gen = new SeedGenerator(2026);
  const half = (share: number) => Math.max(1, Math.round((people * share) / 2));
  const accounts = sf.seed('Account', gen.accounts(half(0.1)));
  const leads = gen.leads(Math.round(people * 0.45));
  sf.seed('Lead', leads);
  const contacts = Math.round(people * 0.25);
  sf.seed('Contact', gen.contacts(contacts, accounts));
  sf.seed('Opportunity', gen.opportunities(half(0.1), accounts));
  const generated = hs.generate({
    companies: half(0.1),
    contacts: Math.round(people * 0.3),
    deals: half(0.1),
    // A Salesforce Opportunity needs a close date; a deal without one could not cross over.
    dealsCloseFrom: '2027-01-15',
  });
  const both = leads.slice(0, Math.round(people * 0.3)).map((lead) => ({
    email: String(lead.Email),
    firstname: String(lead.FirstName),
    lastname: String(lead.LastName),
    jobtitle: String(lead.Title),
    lifecyclestage: 'lead',
  }));
  hs.seed('contacts', both);
  return {
    people: leads.length + contacts + generated.contacts.length,
    leads: leads.length,
    contacts,
    accounts: accounts.length,
    opportunities: half(0.1),
    hubspotContacts: generated.contacts.length + both.length,
    hubspotCompanies: generated.companies.length,
    hubspotDeals: generated.deals.length,
    inBoth: both.length,
  };
}

/** Salesforce alone holds the people (60 % Leads, 40 % Contacts at 1 account per 20): a one-direction first sync. */
export function seedOneWay(sf: SalesforceSandbox, people: number): { leads: number; contacts: number } {
  const gen = new SeedGenerator(2027);
  const accounts = sf.seed('Account', gen.accounts(Math.max(1, Math.round(people / 20))));
  const leads = Math.round(people * 0.6);
  // In slices, so that the generator's records are let go of as they are stored.
  for (let from = 0; from < leads; from += 50_000)
    sf.seed('Lead', gen.leads(Math.min(50_000, leads - from), from));
  const contacts = people - leads;
  for (let from = 0; from < contacts; from += 50_000)
    sf.seed('Contact', gen.contacts(Math.min(50_000, contacts - from), accounts, from));
  return { leads, contacts };
}
