import { type Random, seededRandom } from '../../sandbox-kit/index.ts';
import { OPPORTUNITY_STAGES } from './schema.ts';

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
const INDUSTRIES = [
  'Technology',
  'Finance',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Education',
  'Consulting',
];
const SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Email', 'Social'];
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

  constructor(seed = 42) {
    this.#random = seededRandom(seed);
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
      LeadSource: r.pick(SOURCES),
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
        Industry: this.#random.pick(INDUSTRIES),
        NumberOfEmployees: this.#random.int(5, 5000),
        Rating: this.#random.pick(['Hot', 'Warm', 'Cold']),
      };
    });
  }

  accounts(count: number): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, k) => {
      const company = `${this.#company()} ${k}`;
      return {
        Name: company,
        Website: `https://${this.#domain(company)}`,
        Industry: this.#random.pick(INDUSTRIES),
        NumberOfEmployees: this.#random.int(5, 5000),
        Type: this.#random.pick(['Prospect', 'Customer - Direct', 'Technology Partner']),
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
      };
    });
  }

  opportunities(count: number, accountIds: readonly string[]): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, k) => ({
      Name: `Deal ${k}`,
      AccountId: accountIds.length > 0 ? this.#random.pick(accountIds) : null,
      Amount: this.#random.int(1, 200) * 1000,
      StageName: this.#random.pick(OPPORTUNITY_STAGES.slice(0, 8)),
      CloseDate: `2027-0${this.#random.int(1, 9)}-1${this.#random.int(0, 9)}`,
    }));
  }
}
