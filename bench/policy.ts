/**
 * Classifications per second for 100k generated people with the default policy, with and without the trace.
 * Target: ≥ 200k/s on one core. Run with `npm run bench:policy`.
 */
import { formatIssue } from '../src/config/yaml-source.ts';
import { Account, Opportunity, Person } from '../src/model/index.ts';
import { type Classification, classify, DEFAULT_POLICY_FILE, loadPolicy } from '../src/policy/index.ts';

const COUNT = 100_000;
const RUNS = 5;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;

/** mulberry32: the same people on every run. */
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
const random = prng(20_260_601);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const maybe = <T>(share: number, value: () => T): T | undefined => (random() < share ? value() : undefined);

const TITLES = [
  'CEO',
  'CTO',
  'VP Sales',
  'Director of Marketing',
  'Head of RevOps',
  'Sales Manager',
  'Engineer',
  'Analyst',
  'Consultant',
  'Student',
  'Founder',
  'Office Manager',
];
const COUNTRIES = [
  'US',
  'United States',
  'Canada',
  'UK',
  'Germany',
  'France',
  'Brazil',
  'India',
  'Japan',
  'Netherlands',
  'Spain',
];
const INDUSTRIES = [
  'technology',
  'finance',
  'healthcare',
  'manufacturing',
  'retail',
  'education',
  'consulting',
  'media',
  'government',
  'other',
];
const SOURCES = ['web', 'phone', 'referral', 'purchasedList', 'email', 'social', 'other'];
const CONVERSIONS = [
  'Newsletter signup',
  'E-book: CRM hygiene',
  'Pricing whitepaper',
  'Request a demo',
  'Start free trial',
  'Contact sales',
  'Webinar: pipeline reviews',
  'Product sheet',
  'Blog subscription',
  'Event: RevOps Summit',
];
const STAGES = ['prospect', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'other'];
const TIMELINES = ['now', 'this quarter', 'next year', 'within 3 months', 'unknown'];
const OPPORTUNITY_STAGES = ['prospecting', 'qualification', 'proposal', 'closedWon', 'closedLost'];

interface Case {
  readonly person: Person;
  readonly account: Account | undefined;
  readonly opportunities: Opportunity[];
}

function generate(): Case {
  const person = Person.parse({
    kind: random() < 0.6 ? 'lead' : 'contact',
    email: `p${Math.floor(random() * 1e9)}@example.com`,
    lastName: 'Person',
    title: maybe(0.85, () => pick(TITLES)),
    address: { country: maybe(0.8, () => pick(COUNTRIES)) },
    industry: maybe(0.6, () => pick(INDUSTRIES)),
    employees: maybe(0.6, () => Math.floor(random() ** 2 * 5000)),
    annualRevenue: maybe(0.3, () => Math.floor(random() * 5e7)),
    leadSource: maybe(0.9, () => pick(SOURCES)),
    leadStatus: maybe(0.5, () => pick(['new', 'working', 'unqualified'])),
    lifecycleStage: maybe(0.7, () => pick(STAGES)),
    firstConversion: maybe(0.5, () => pick(CONVERSIONS)),
    recentConversion: maybe(0.4, () => pick(CONVERSIONS)),
    conversionCount: maybe(0.5, () => Math.floor(random() * 8)),
    pageViews: maybe(0.6, () => Math.floor(random() * 60)),
    lastActivityAt: maybe(0.7, () => new Date(NOW - Math.floor(random() * 400) * DAY).toISOString()),
    emailOptOut: random() < 0.05,
    custom: {
      ...(random() < 0.4 && { budget: Math.floor(random() * 100_000) }),
      ...(random() < 0.4 && { authority: random() < 0.5 }),
      ...(random() < 0.3 && { need: 'duplicate records across CRMs' }),
      ...(random() < 0.3 && { timeline: pick(TIMELINES) }),
    },
  });
  const account = maybe(0.4, () =>
    Account.parse({
      name: 'Acme',
      industry: pick(INDUSTRIES),
      employees: Math.floor(random() * 3000),
      address: { country: pick(COUNTRIES) },
    }),
  );
  const opportunities =
    random() < 0.15 ? [Opportunity.parse({ name: 'Deal', stage: pick(OPPORTUNITY_STAGES) })] : [];
  return { person, account, opportunities };
}

const loaded = await loadPolicy(DEFAULT_POLICY_FILE);
if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
const policy = loaded.value;
const cases = Array.from({ length: COUNT }, generate);

/** Classifies everyone once; tallies the verdicts instead of keeping them, as the sync engine would. */
function run(trace: boolean, tally?: (c: Classification) => void): number {
  let traced = 0;
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const c = cases[i] as Case;
    const result = classify(c.person, c.account, c.opportunities, policy, { now: NOW, trace });
    traced += result.trace.length;
    tally?.(result);
  }
  const perSecond = COUNT / ((performance.now() - started) / 1000);
  if (trace && traced < COUNT) throw new Error('the trace is missing');
  return perSecond;
}

function measure(trace: boolean): number {
  run(trace); // warm-up: let the JIT settle before timing
  let best = 0;
  for (let r = 0; r < RUNS; r++) best = Math.max(best, run(trace));
  return best;
}

const withTrace = measure(true);
const withoutTrace = measure(false);
const tallies = { stage: {} as Record<string, number>, leadType: {} as Record<string, number>, convert: 0 };
run(false, (c) => {
  tallies.stage[c.stage] = (tallies.stage[c.stage] ?? 0) + 1;
  const type = c.leadType ?? 'none';
  tallies.leadType[type] = (tallies.leadType[type] ?? 0) + 1;
  if (c.convert.required) tallies.convert++;
});
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`policy ${policy.version}: ${fmt(COUNT)} people, best of ${RUNS} runs, one core`);
console.log(`  with trace     ${fmt(withTrace)} classifications/s`);
console.log(`  without trace  ${fmt(withoutTrace)} classifications/s`);
console.log(`  stages         ${JSON.stringify(tallies.stage)}`);
console.log(`  lead types     ${JSON.stringify(tallies.leadType)}`);
console.log(`  to convert     ${fmt(tallies.convert)}`);
