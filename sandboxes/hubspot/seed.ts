import {
  ANALYTICS_SOURCES,
  COMPANY_TYPES,
  DEAL_TYPES,
  DEFAULT_DEAL_STAGES,
  DEFAULT_PIPELINE,
  INDUSTRIES,
  LEAD_STATUSES,
  LIFECYCLE_STAGES,
} from '../../connectors/hubspot/standard-options.ts';
import type { Random } from '../kit/index.ts';

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
  'Edsger',
  'Radia',
  'Tim',
  'Hedy',
  'John',
  'Karen',
  'Niklaus',
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
  'Dijkstra',
  'Perlman',
  'Berners-Lee',
  'Lamarr',
  'McCarthy',
  'Sparck Jones',
  'Wirth',
];
const WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Wonka',
];
const SUFFIX = ['Labs', 'Systems', 'Group', 'Industries', 'Analytics', 'Partners'];
const TITLES = [
  'CTO',
  'VP Engineering',
  'Head of Sales',
  'Marketing Manager',
  'Developer',
  'CFO',
  'Operations Lead',
];
/** The lifecycle stages and industries generated records have drawn from since the first seeds. */
const FAMILIAR_STAGES = [
  'subscriber',
  'lead',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
];
const FAMILIAR_INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'FINANCIAL_SERVICES',
  'RETAIL',
  'HOSPITAL_HEALTH_CARE',
  'TELECOMMUNICATIONS',
];
const CITIES = ['Berlin', 'Boston', 'London', 'Lyon', 'Toronto', 'Austin', 'Dublin'];

/**
 * Which option values generated records get. `familiar` (the default): the few common values drawn at random that
 * generated records have always had (tests count on them). `all-standard`: every standard option of a new portal
 * in turn (record i gets option i modulo the list's length), and contacts also get an industry, a lead status and
 * an original source; so generating 148 companies (contacts) uses every company (contact) industry, and 8 deals
 * every stage and deal type.
 */
export type SeedValues = 'familiar' | 'all-standard';

function nth(values: readonly string[], i: number): string {
  return values[i % values.length] as string;
}

/** A realistic company numbered `i` (its domain is unique per `i`). */
export function fakeCompany(
  random: Random,
  i: number,
  values: SeedValues = 'familiar',
): Record<string, string> {
  const name = `${random.pick(WORDS)} ${random.pick(SUFFIX)} ${i}`;
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.com`;
  const standard = values === 'all-standard';
  return {
    name,
    domain,
    website: `https://${domain}`,
    industry: standard ? nth(INDUSTRIES, i) : random.pick(FAMILIAR_INDUSTRIES),
    numberofemployees: String(random.int(5, 5000)),
    city: random.pick(CITIES),
    type: standard ? nth(COMPANY_TYPES, i) : 'PROSPECT',
  };
}

/** A realistic contact numbered `i`, working at `domain` when given (its e-mail is unique per `i`). */
export function fakeContact(
  random: Random,
  i: number,
  domain = 'example.org',
  values: SeedValues = 'familiar',
): Record<string, string> {
  const first = random.pick(FIRST);
  const last = random.pick(LAST);
  const standard = values === 'all-standard';
  return {
    email: `${first}.${last}.${i}@${domain}`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
    firstname: first,
    lastname: last,
    jobtitle: random.pick(TITLES),
    lifecyclestage: standard ? nth(LIFECYCLE_STAGES, i) : random.pick(FAMILIAR_STAGES),
    city: random.pick(CITIES),
    crm_bridge_score: String(random.int(0, 100)),
    ...(standard
      ? {
          industry: nth(INDUSTRIES, i),
          hs_lead_status: nth(LEAD_STATUSES, i),
          hs_analytics_source: nth(ANALYTICS_SOURCES, i),
        }
      : {}),
  };
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A realistic deal numbered `i` in the default pipeline. With `closesFrom` (an ISO 8601 day) it has a close date:
 * deal i closes i weeks after that day, at midnight UTC as HubSpot gives dates. The date draws nothing at random, so
 * every other value is the same with it or without it.
 */
export function fakeDeal(
  random: Random,
  i: number,
  values: SeedValues = 'familiar',
  closesFrom?: string,
): Record<string, string> {
  const standard = values === 'all-standard';
  const day = closesFrom === undefined ? undefined : Date.parse(`${closesFrom.slice(0, 10)}T00:00:00.000Z`);
  if (Number.isNaN(day)) throw new Error(`closesFrom: expected an ISO 8601 day; got "${closesFrom}"`);
  return {
    dealname: `Deal ${i}`,
    amount: String(random.int(10, 500) * 100),
    pipeline: DEFAULT_PIPELINE,
    dealstage: standard ? nth(DEFAULT_DEAL_STAGES, i) : random.pick(DEFAULT_DEAL_STAGES),
    dealtype: standard ? nth(DEAL_TYPES, i) : random.pick(DEAL_TYPES),
    ...(day === undefined ? {} : { closedate: new Date(day + i * WEEK_MS).toISOString() }),
  };
}
