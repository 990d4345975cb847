import type { Random } from '../../sandbox-kit/index.ts';
import { PIPELINES } from './pipelines.ts';

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
const STAGES = [
  'subscriber',
  'lead',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
];
const INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'FINANCIAL_SERVICES',
  'RETAIL',
  'HOSPITAL_HEALTH_CARE',
  'TELECOMMUNICATIONS',
];
const CITIES = ['Berlin', 'Boston', 'London', 'Lyon', 'Toronto', 'Austin', 'Dublin'];

/** A realistic company numbered `i` (its domain is unique per `i`). */
export function fakeCompany(random: Random, i: number): Record<string, string> {
  const name = `${random.pick(WORDS)} ${random.pick(SUFFIX)} ${i}`;
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.com`;
  return {
    name,
    domain,
    website: `https://${domain}`,
    industry: random.pick(INDUSTRIES),
    numberofemployees: String(random.int(5, 5000)),
    city: random.pick(CITIES),
    type: 'PROSPECT',
  };
}

/** A realistic contact numbered `i`, working at `domain` when given (its e-mail is unique per `i`). */
export function fakeContact(random: Random, i: number, domain = 'example.org'): Record<string, string> {
  const first = random.pick(FIRST);
  const last = random.pick(LAST);
  return {
    email: `${first}.${last}.${i}@${domain}`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
    firstname: first,
    lastname: last,
    jobtitle: random.pick(TITLES),
    lifecyclestage: random.pick(STAGES),
    city: random.pick(CITIES),
    crm_bridge_score: String(random.int(0, 100)),
  };
}

/** A realistic deal numbered `i` in the default pipeline. */
export function fakeDeal(random: Random, i: number): Record<string, string> {
  const pipeline = PIPELINES[0];
  return {
    dealname: `Deal ${i}`,
    amount: String(random.int(10, 500) * 100),
    pipeline: pipeline?.id ?? 'default',
    dealstage: random.pick(pipeline?.stages.map((s) => s.id) ?? ['appointmentscheduled']),
    dealtype: random.pick(['newbusiness', 'existingbusiness']),
  };
}
