import type { HubSpotSandbox } from './hubspot/index.ts';
import { seededRandom } from './kit/index.ts';
import { type SalesforceSandbox, SeedGenerator } from './salesforce/index.ts';

/** Marketing events HubSpot records when someone converts on a form; the default policy reads them. */
const EVENTS = [
  'Demo request',
  'Contact sales',
  'Free trial signup',
  'Ebook download: CRM hygiene',
  'Webinar: revops 101',
  'Pricing sheet download',
  'Blog subscription',
];
const SOURCES = [
  'ORGANIC_SEARCH',
  'PAID_SEARCH',
  'EMAIL_MARKETING',
  'REFERRALS',
  'SOCIAL_MEDIA',
  'DIRECT_TRAFFIC',
];
const COUNTRIES = ['United States', 'United Kingdom', 'Germany', 'France', 'Canada', 'Brazil'];
/** A Lead that fits on every criterion of the default policy, with a rep working it. */
const READY_LEAD = {
  Title: 'VP Operations',
  Industry: 'Technology',
  NumberOfEmployees: 800,
  Country: 'United States',
  LeadSource: 'Web',
  Status: 'Working - Contacted',
};
/** What HubSpot knows of the same person: a demo request after a first inquiry. */
const READY_CONTACT = {
  jobtitle: 'VP Operations',
  country: 'United States',
  recent_conversion_event_name: 'Demo request',
  num_conversion_events: '3',
  hs_analytics_source: 'ORGANIC_SEARCH',
};
/** The first HubSpot deal's close date (the others a week apart), in the same year as the Salesforce ones. */
const DEALS_CLOSE_FROM = '2027-01-15';

export interface DemoCounts {
  readonly leads: number;
  readonly contacts: number;
  readonly accounts: number;
  readonly opportunities: number;
  readonly hubspotContacts: number;
  readonly hubspotCompanies: number;
  readonly hubspotDeals: number;
  /** HubSpot contacts that are also Salesforce Leads (same e-mail), with marketing activity. */
  readonly overlap: number;
}

/**
 * Seeds both sandboxes as two teams would have filled them: sales in Salesforce (accounts, contacts, leads,
 * opportunities), marketing in HubSpot (companies, contacts, deals) and some people in both, where HubSpot knows
 * what they did (form fills, downloads, demo requests) and Salesforce knows the company.
 */
export function seedDemo(sf: SalesforceSandbox, hs: HubSpotSandbox, people: number): DemoCounts {
  const random = seededRandom(2026);
  const gen = new SeedGenerator(2026);
  const accounts = sf.seed('Account', gen.accounts(Math.max(2, Math.round(people / 15))));
  sf.seed('Contact', gen.contacts(Math.round(people * 0.3), accounts));
  const leads = gen.leads(Math.round(people * 0.5));
  // A few of the people in both CRMs are sales-ready and accepted: they fit on every criterion, asked for a demo
  // after a first inquiry, and a rep works them. The default policy converts exactly these.
  const ready = Math.max(1, Math.round(leads.length * 0.04));
  for (const lead of leads.slice(0, ready)) Object.assign(lead, READY_LEAD);
  sf.seed('Lead', leads);
  sf.seed('Opportunity', gen.opportunities(Math.max(1, Math.round(people / 20)), accounts));
  const generated = hs.generate({
    companies: Math.max(2, Math.round(people / 20)),
    contacts: Math.round(people * 0.2),
    deals: Math.max(1, Math.round(people / 25)),
    // A Salesforce Opportunity needs a close date; a deal without one could not cross over.
    dealsCloseFrom: DEALS_CLOSE_FROM,
  });
  const overlap = leads.slice(0, Math.round(leads.length * 0.4)).map((lead) => ({
    email: String(lead.Email),
    firstname: String(lead.FirstName),
    lastname: String(lead.LastName),
    jobtitle: String(lead.Title),
    country: random.pick(COUNTRIES),
    recent_conversion_event_name: random.pick(EVENTS),
    num_conversion_events: String(random.int(1, 6)),
    hs_analytics_num_page_views: String(random.int(0, 40)),
    hs_analytics_source: random.pick(SOURCES),
    lifecyclestage: 'lead',
  }));
  for (const contact of overlap.slice(0, ready)) Object.assign(contact, READY_CONTACT);
  hs.seed('contacts', overlap);
  return {
    leads: leads.length,
    contacts: Math.round(people * 0.3),
    accounts: accounts.length,
    opportunities: Math.max(1, Math.round(people / 20)),
    hubspotContacts: generated.contacts.length + overlap.length,
    hubspotCompanies: generated.companies.length,
    hubspotDeals: generated.deals.length,
    overlap: overlap.length,
  };
}
