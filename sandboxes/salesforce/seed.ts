import {
  ACCOUNT_TYPES,
  INDUSTRIES,
  LEAD_SOURCES,
  LEAD_STATUSES,
  OPPORTUNITY_STAGES,
  OPPORTUNITY_TYPES,
  RATINGS,
  SALUTATIONS,
} from '../../connectors/salesforce/standard-picklists.ts';
import { type Random, seededRandom } from '../kit/index.ts';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'Tim',
  'Radia',
  'Guido',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Allen',
  'Berners-Lee',
  'Perlman',
  'Rossum',
];
const COMPANY_A = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Tyrell',
  'Cyberdyne',
  'Hooli',
  'Vandelay',
];
const COMPANY_B = ['Systems', 'Labs', 'Industries', 'Analytics', 'Logistics', 'Health', 'Capital', 'Foods'];
const TITLES = [
  'CEO',
  'CTO',
  'VP Sales',
  'Head of Marketing',
  'Engineer',
  'Procurement Manager',
  'Analyst',
  'Director of IT',
];
/** The picklist values generated records have drawn from since the first seeds (tests count on them). */
const FAMILIAR = {
  industry: ['Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Education', 'Consulting'],
  leadSource: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Email', 'Social'],
  rating: RATINGS,
  accountType: ['Prospect', 'Customer - Direct', 'Technology Partner'],
  stage: OPPORTUNITY_STAGES.slice(0, 8),
} as const;

/** Every standard value of a new org, for the picklists generated records fill. */
const STANDARD = {
  industry: INDUSTRIES,
  leadSource: LEAD_SOURCES,
  rating: RATINGS,
  accountType: ACCOUNT_TYPES,
  stage: OPPORTUNITY_STAGES,
  salutation: SALUTATIONS,
  // A lead that was not converted cannot hold the converted status.
  leadStatus: LEAD_STATUSES.filter((s) => s !== 'Closed - Converted'),
  opportunityType: OPPORTUNITY_TYPES,
} as const;

type Picklist = keyof typeof STANDARD;

export interface SeedOptions {
  /**
   * Which picklist values records get. `familiar` (the default): a few common values drawn at random, as seeds always
   * had, including the lead sources Email and Social, which a new org lacks. `all-standard`: every standard value of a
   * new org in turn (record k gets value k modulo the list's length), plus Salutation, Lead Status and Opportunity
   * Type and Lead Source, so that seeding at least 32 records of an object uses each of its standard values.
   */
  readonly values?: 'familiar' | 'all-standard';
}

const CITIES = [
  ['Berlin', 'BE', 'Germany'],
  ['Austin', 'TX', 'United States'],
  ['Lyon', 'ARA', 'France'],
  ['Toronto', 'ON', 'Canada'],
  ['Leeds', 'ENG', 'United Kingdom'],
] as const;

/** A deterministic generator of realistic records: the same seed gives the same records, run after run. */
export class SeedGenerator {
  readonly #random: Random;
  readonly #standard: boolean;

  constructor(seed = 42, options: SeedOptions = {}) {
    this.#random = seededRandom(seed);
    this.#standard = options.values === 'all-standard';
  }

  /** The value of record `k` for a picklist: drawn from the familiar values, or the k-th standard one. */
  #pick(list: keyof typeof FAMILIAR, k: number): string {
    return this.#standard ? nth(STANDARD[list], k) : this.#random.pick(FAMILIAR[list]);
  }

  /** Picklists that only `all-standard` records fill, by field name. */
  #standardOnly(fields: Readonly<Record<string, Picklist>>, k: number): Record<string, string> {
    if (!this.#standard) return {};
    return Object.fromEntries(Object.entries(fields).map(([name, list]) => [name, nth(STANDARD[list], k)]));
  }

  #company(): string {
    return `${this.#random.pick(COMPANY_A)} ${this.#random.pick(COMPANY_B)}`;
  }

  #domain(company: string): string {
    // Digits stay: accounts numbered apart must not share a domain (the sync would rightly refuse to guess).
    return `${company.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example.com`;
  }

  #person(i: number, domain: string): Record<string, unknown> {
    const r = this.#random;
    const [city, state, country] = r.pick(CITIES);
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    return {
      FirstName: first,
      LastName: last,
      Email: `${first}.${last}.${i}@${domain}`.toLowerCase(),
      Phone: `+1 512 555 ${String(r.int(0, 9999)).padStart(4, '0')}`,
      Title: r.pick(TITLES),
      LeadSource: this.#pick('leadSource', i),
      City: city,
      State: state,
      Country: country,
      Budget__c: r.int(0, 20) * 5000,
      Is_Decision_Maker__c: r.next() < 0.3,
      Lead_Score__c: r.int(0, 100),
    };
  }

  /** Leads numbered from `from`, each with a unique e-mail. */
  leads(count: number, from = 0): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, k) => {
      const company = this.#company();
      return {
        ...this.#person(from + k, this.#domain(company)),
        Company: company,
        Industry: this.#pick('industry', from + k),
        NumberOfEmployees: this.#random.int(5, 5000),
        Rating: this.#pick('rating', from + k),
        ...this.#standardOnly({ Salutation: 'salutation', Status: 'leadStatus' }, from + k),
      };
    });
  }

  accounts(count: number): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, k) => {
      const company = `${this.#company()} ${k}`;
      return {
        Name: company,
        Website: `https://${this.#domain(company)}`,
        Industry: this.#pick('industry', k),
        NumberOfEmployees: this.#random.int(5, 5000),
        Type: this.#pick('accountType', k),
        ...this.#standardOnly({ Rating: 'rating' }, k),
      };
    });
  }

  /** Contacts spread over the given accounts. */
  contacts(count: number, accountIds: readonly string[], from = 0): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, k) => {
      const { City, State, Country, ...person } = this.#person(from + k, 'contacts.example.com');
      return {
        ...person,
        MailingCity: City,
        MailingState: State,
        MailingCountry: Country,
        AccountId: accountIds.length > 0 ? this.#random.pick(accountIds) : null,
        ...this.#standardOnly({ Salutation: 'salutation' }, from + k),
      };
    });
  }

  opportunities(count: number, accountIds: readonly string[]): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, k) => ({
      Name: `Deal ${k}`,
      AccountId: accountIds.length > 0 ? this.#random.pick(accountIds) : null,
      Amount: this.#random.int(1, 200) * 1000,
      StageName: this.#pick('stage', k),
      CloseDate: `2027-0${this.#random.int(1, 9)}-1${this.#random.int(0, 9)}`,
      ...this.#standardOnly({ Type: 'opportunityType', LeadSource: 'leadSource' }, k),
    }));
  }
}

function nth(values: readonly string[], k: number): string {
  return values[k % values.length] as string;
}
