import type { ExternalRecord } from '../src/mapping/index.ts';

/** One generated person as a connector would pull it, with where it came from. */
export interface GeneratedPerson {
  /** The connection name in config/example.yaml. */
  readonly connection: 'sf' | 'hs';
  /** The external object. */
  readonly object: 'Lead' | 'Contact' | 'contacts';
  readonly record: ExternalRecord;
}

/** mulberry32: small, fast and good enough to make the same people on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Tim',
  'Radia',
  'Guido',
  'Hedy',
  'Edsger',
  'Shafi',
  'Donald',
  'Sophie',
  'Bjarne',
  'Anita',
  'José',
  'Zoë',
  'Søren',
  'Aiko',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Berners-Lee',
  'Perlman',
  'van Rossum',
  'Lamarr',
  'Dijkstra',
  'Goldwasser',
  'Knuth',
  'Wilson',
  'Stroustrup',
  'Borg',
  'García',
  'Müller',
  "O'Brien",
  'Tanaka',
];
const TITLES = [
  'CTO',
  'VP Engineering',
  'Head of Marketing',
  'Sales Director',
  'Software Engineer',
  'Procurement Manager',
  'CFO',
  'Operations Lead',
  'IT Manager',
  'Founder & CEO',
  '',
];
const COMPANIES = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella Health',
  'Stark Industries',
  'Wayne Enterprises',
  'Hooli',
  'Vandelay Imports',
  'Soylent Foods',
  'Tyrell Systems',
  'Cyberdyne',
  'Wonka Retail',
];
const CITIES: readonly (readonly [string, string, string, string])[] = [
  ['San Francisco', 'CA', '94105', 'United States'],
  ['New York', 'NY', '10001', 'United States'],
  ['London', '', 'EC1A 1BB', 'United Kingdom'],
  ['Berlin', '', '10115', 'Germany'],
  ['Toronto', 'ON', 'M5H 2N2', 'Canada'],
  ['Sydney', 'NSW', '2000', 'Australia'],
];
const SF_INDUSTRIES = [
  'Technology',
  'Finance',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Education',
  'Consulting',
  'Media',
];
const HS_INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'INTERNET',
  'FINANCIAL_SERVICES',
  'HOSPITAL_HEALTH_CARE',
  'RETAIL',
  'HIGHER_EDUCATION',
  'MANAGEMENT_CONSULTING',
  'BROADCAST_MEDIA',
];
const SF_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
];
const HS_STATUSES = [
  'NEW',
  'OPEN',
  'IN_PROGRESS',
  'ATTEMPTED_TO_CONTACT',
  'CONNECTED',
  'OPEN_DEAL',
  'UNQUALIFIED',
];
const SF_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Email', 'Social', 'Other'];
const HS_SOURCES = [
  'ORGANIC_SEARCH',
  'DIRECT_TRAFFIC',
  'PAID_SEARCH',
  'OFFLINE',
  'REFERRALS',
  'EMAIL_MARKETING',
  'SOCIAL_MEDIA',
];
const SF_STAGES = ['Prospect', 'Lead', 'MQL', 'SQL', 'Opportunity', 'Customer'];
const HS_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
];
const TEMPERATURES = ['Hot', 'Warm', 'Cold'];
const TIMELINES = ['this quarter', 'next quarter', 'this year', 'no plans'];
const PAINS = ['manual data entry', 'duplicate records', 'slow reporting', 'lead routing'];

/**
 * Generates `count` realistic people, the same ones for the same seed: 40% Salesforce Leads, 20% Salesforce
 * Contacts and 40% HubSpot contacts, in each system's own value encoding and with some blank fields.
 */
export function generatePeople(count: number, seed = 20_240_501): GeneratedPerson[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const maybe = <T>(value: T, blank: T, chance = 0.1): T => (random() < chance ? blank : value);
  const digits = (n: number) => String(Math.floor(random() * 10 ** n)).padStart(n, '0');
  const people: GeneratedPerson[] = [];
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const company = pick(COMPANIES);
    const domain = `${company.toLowerCase().replace(/[^a-z]/g, '')}.example.com`;
    const email = `${first
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z]/g, '')}.${i}@${domain}`;
    const [city, state, zip, country] = pick(CITIES);
    const phone = `+1 (${digits(3)}) ${digits(3)}-${digits(4)}`;
    const employees = Math.floor(random() * 5000) + 1;
    const revenue = Math.floor(random() * 1000) * 100_000;
    const modifiedAt = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 3e10)).toISOString();
    const roll = random();
    if (roll < 0.6) {
      const isLead = roll < 0.4;
      const fields: Record<string, unknown> = {
        Email: email,
        Salutation: maybe('Dr.', null, 0.8),
        FirstName: first,
        LastName: last,
        Phone: phone,
        MobilePhone: maybe(`+44 7${digits(3)} ${digits(6)}`, null, 0.5),
        Title: maybe(pick(TITLES), null),
        LeadSource: pick(SF_SOURCES),
        Description: maybe(`Met at ${city} roadshow`, null, 0.6),
        HasOptedOutOfEmail: random() < 0.1,
        DoNotCall: random() < 0.05,
        Budget__c: maybe(Math.floor(random() * 100) * 1000, null, 0.3),
        Is_Decision_Maker__c: random() < 0.3,
        Pain_Point__c: maybe(pick(PAINS), null, 0.4),
        Purchase_Timeline__c: maybe(pick(TIMELINES), null, 0.4),
        Lifecycle_Stage__c: pick(SF_STAGES),
        Lead_Type__c: maybe('inbound', null, 0.5),
        Lead_Score__c: Math.floor(random() * 100),
      };
      const address = isLead
        ? { Street: `${digits(3)} Market St`, City: city, State: state, PostalCode: zip, Country: country }
        : {
            MailingStreet: `${digits(3)} Market St`,
            MailingCity: city,
            MailingState: state,
            MailingPostalCode: zip,
            MailingCountry: country,
          };
      Object.assign(fields, address);
      if (isLead) {
        Object.assign(fields, {
          Company: company,
          Website: `https://www.${domain}`,
          Industry: pick(SF_INDUSTRIES),
          NumberOfEmployees: employees,
          AnnualRevenue: revenue,
          Status: pick(SF_STATUSES),
          Rating: pick(TEMPERATURES),
        });
      } else {
        Object.assign(fields, { Department: maybe('Engineering', null, 0.5), AccountId: `001${digits(12)}` });
      }
      const id = `${isLead ? '00Q' : '003'}${digits(12)}`;
      people.push({
        connection: 'sf',
        object: isLead ? 'Lead' : 'Contact',
        // Salesforce spells UTC as +0000 (SystemModstamp).
        record: { id, fields, modifiedAt: modifiedAt.replace('Z', '+0000') },
      });
    } else {
      const fields: Record<string, unknown> = {
        email,
        salutation: '',
        firstname: first,
        lastname: last,
        phone,
        mobilephone: maybe(`+44 7${digits(3)} ${digits(6)}`, '', 0.5),
        jobtitle: maybe(pick(TITLES), ''),
        company,
        website: `https://www.${domain}`,
        hs_email_domain: domain,
        address: `${digits(3)} Market St`,
        city,
        state,
        zip,
        country,
        industry: pick(HS_INDUSTRIES),
        crm_bridge_employees: String(employees),
        annualrevenue: String(revenue),
        hs_analytics_source: pick(HS_SOURCES),
        hs_lead_status: pick(HS_STATUSES),
        message: maybe('Asked for a demo', '', 0.6),
        crm_bridge_email_opt_out: random() < 0.1 ? 'true' : 'false',
        crm_bridge_do_not_call: 'false',
        first_conversion_event_name: 'Demo request',
        recent_conversion_event_name: maybe('Pricing page form', ''),
        num_conversion_events: String(Math.floor(random() * 8)),
        hs_analytics_num_page_views: String(Math.floor(random() * 200)),
        hs_last_sales_activity_timestamp: String(Date.parse(modifiedAt) - 86_400_000),
        associatedcompanyid: maybe(digits(10), ''),
        budget: maybe(String(Math.floor(random() * 100) * 1000), '', 0.3),
        is_decision_maker: random() < 0.3 ? 'true' : 'false',
        pain_point: maybe(pick(PAINS), '', 0.4),
        purchase_timeline: maybe(pick(TIMELINES), '', 0.4),
        lifecyclestage: pick(HS_STAGES),
        crm_bridge_lead_type: maybe('inbound', '', 0.5),
        crm_bridge_temperature: pick(TEMPERATURES).toLowerCase(),
        crm_bridge_score: String(Math.floor(random() * 100)),
      };
      people.push({ connection: 'hs', object: 'contacts', record: { id: digits(11), fields, modifiedAt } });
    }
  }
  return people;
}
