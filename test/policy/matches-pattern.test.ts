import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { Person } from '../../src/model/index.ts';
import { classify, parsePolicy } from '../../src/policy/index.ts';
import { compilePattern } from '../../src/policy/safe-pattern.ts';
import { DEFAULT_POLICY } from './default-policy.ts';
import { MINIMAL } from './minimal-policy.ts';

/**
 * A backtracking engine takes exponential time on these patterns once the text fails to match at its end: at 35
 * characters `(a|aa)+$` already takes two seconds, and at this length it never finishes.
 */
const LONG = 50_000;
/**
 * The classifications take milliseconds. This fails a slow engine that still finishes; a backtracking one never
 * yields to vitest's timer, so there the test hangs (as `crm-bridge explain` did) until the run is stopped.
 */
const TIMEOUT = 5_000;

const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-pattern-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** MINIMAL with `pattern` as the demoRequest signal's `matches` (YAML single quotes: the text is taken as is). */
const policyText = (pattern: string) => MINIMAL.replace('matches: demo', () => `matches: '${pattern}'`);

function demoRequested(pattern: string, recentConversion: string): boolean {
  const policy = parsePolicy(policyText(pattern), 'policy.yaml');
  if (!policy.ok) throw new Error(policy.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const person = Person.parse({ kind: 'lead', recentConversion });
  return classify(person, undefined, [], policy.value, { now: 0, trace: false }).interest.includes(
    'demoRequest',
  );
}

describe('matches patterns run in time linear in the text', () => {
  const a = 'a'.repeat(LONG);
  const x = 'x'.repeat(LONG);
  it.each<[pattern: string, text: string, value: string, matched: boolean]>([
    ['(a|a)+$', '50,000 a then !', `${a}!`, false],
    ['(a|a)+$', '50,000 a', a, true],
    ['(a|aa)+$', '50,000 a then !', `${a}!`, false],
    ['(a|aa)+$', '! then 50,000 a', `!${a}`, true],
    ['(x+x+)+y', '50,000 x', x, false],
    ['(x+x+)+y', '50,000 X then Y', `${x.toUpperCase()}Y`, true],
    ['(a+)+$', '50,000 a then !', `${a}!`, false],
  ])(
    '%s on %s',
    (pattern, _, value, matched) => {
      expect(demoRequested(pattern, value)).toBe(matched);
    },
    TIMEOUT,
  );

  it(
    'crm-bridge validate accepts (a|aa)+$ and explain then classifies a long value with it',
    async () => {
      writeFileSync(join(dir, 'policy.yaml'), policyText('(a|aa)+$'));
      const config = join(dir, 'config.yaml');
      const example = readFileSync('config/example.yaml', 'utf8');
      writeFileSync(config, example.replace('policy: ./policy.default.yaml', 'policy: policy.yaml'));
      const record = join(dir, 'record.json');
      writeFileSync(record, JSON.stringify({ kind: 'lead', recentConversion: `${'a'.repeat(LONG)}!` }));

      const validated = captureOutput();
      expect(await main(['node', 'crm-bridge', 'validate', config], validated)).toBe(0);
      expect(validated.stdout).toContain(`${config}: valid (`);
      const explained = captureOutput();
      const args = ['explain', record, '-c', config, '--json', '--now', '2026-06-01T00:00:00Z'];
      expect(await main(['node', 'crm-bridge', ...args], explained)).toBe(0);
      expect(JSON.parse(explained.stdout).interest).toEqual([]);
    },
    TIMEOUT,
  );
});

/** Every `matches` pattern in a parsed policy, in file order. */
function patternsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(patternsIn);
  if (typeof value !== 'object' || value === null) return [];
  const own = 'matches' in value && typeof value.matches === 'string' ? [value.matches] : [];
  return [...own, ...Object.values(value).flatMap(patternsIn)];
}

/** Titles, conversions and timelines as CRMs hold them, with near misses around the default patterns' words. */
const CORPUS = [
  'CEO|CTO|cfo|CMO|CIO|CRO|COO|VP Sales|Vice President, Marketing|President|Founder|Co-founder|Owner',
  'Director of Marketing|Head of RevOps|Sales Manager|Office Manager|Managing Director|Chief of Staff',
  'Engineer|Analyst|Consultant|Student|Directorate clerk|Headhunter|Vpn admin|CEO/Founder|Chief_Owner',
  'Directeur général|C-level|ceos|Newsletter signup|E-book: CRM hygiene|Ebook|ÉBOOK|Pricing whitepaper',
  'White paper|Datasheet|Request a demo|DEMO day|Démo|Start free trial|Trial|Contact sales|Contact us',
  'Talk to an expert|Request a quote|Request a call|Callback|Call back|Webinar: pipeline reviews|Product sheet',
  'Blog subscription|Event: RevOps Summit|Trade show|Meetup|Case study|Template pack|Video|unknown|snow',
  'now|this quarter|This week|this Month|next year|within 3 months|within one month|within 13 months|0-3 months',
  'ASAP|immediately|knowhow|',
].flatMap((line) => line.split('|'));

describe('the default policy', () => {
  const patterns = patternsIn(DEFAULT_POLICY.definition);

  it('finds the same matches as before it ran on RE2', () => {
    expect(patterns.length).toBeGreaterThan(5);
    for (const pattern of patterns) {
      const re2 = compilePattern(pattern);
      const backtracking = new RegExp(pattern, 'i');
      const differ = CORPUS.filter((text) => re2(text) !== backtracking.test(text));
      expect({ pattern, differ }).toEqual({ pattern, differ: [] });
    }
  });
});
