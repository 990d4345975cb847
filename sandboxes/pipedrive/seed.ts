import { DEFAULT_PIPELINE, LEAD_LABELS } from '../../connectors/pipedrive/standard-fields.ts';
import type { Random } from '../kit/index.ts';

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis'];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Hamilton',
  'Ritchie',
];
const COMPANY = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
  'Cyberdyne',
];
const KIND = ['Labs', 'Systems', 'Industries', 'Software', 'Logistics'];

/** An organization body (v2) numbered i, with a unique website. */
export function fakeOrganization(random: Random, i: number): Record<string, unknown> {
  const name = `${random.pick(COMPANY)} ${random.pick(KIND)} ${i}`;
  return {
    name,
    website: `https://www.${name.toLowerCase().replace(/\s+/g, '-')}.example`,
    address: { value: `${random.int(1, 999)} Market Street, San Francisco` },
    employee_count: random.int(5, 5000),
  };
}

/** A person body (v2) numbered i, with a unique e-mail at `domain`. */
export function fakePerson(random: Random, i: number, domain: string): Record<string, unknown> {
  const first = random.pick(FIRST);
  const last = random.pick(LAST);
  return {
    name: `${first} ${last}`,
    emails: [{ value: `${first}.${last}.${i}@${domain}`.toLowerCase(), primary: true, label: 'work' }],
    phones: [
      { value: `+1 415 555 ${String(1000 + (i % 9000)).padStart(4, '0')}`, primary: true, label: 'work' },
    ],
    job_title: random.pick(['CTO', 'Head of Sales', 'Engineer', 'Buyer', 'CEO']),
  };
}

/** A deal body (v2) numbered i, open in a stage of the default pipeline. */
export function fakeDeal(random: Random, i: number): Record<string, unknown> {
  return {
    title: `Deal ${i}`,
    value: random.int(1, 100) * 1000,
    currency: 'USD',
    pipeline_id: DEFAULT_PIPELINE.id,
    stage_id: random.pick(DEFAULT_PIPELINE.stages).id,
    status: 'open',
  };
}

/** A lead body (v1) numbered i, with a value and a label. */
export function fakeLead(random: Random, i: number): Record<string, unknown> {
  return {
    title: `Lead ${i}`,
    value: { amount: random.int(1, 50) * 500, currency: 'USD' },
    label_ids: [random.pick(LEAD_LABELS).id],
  };
}
