import fc from 'fast-check';
import { RE2JS } from 're2js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Person } from '../../src/model/index.ts';
import { classify } from '../../src/policy/index.ts';
import { timeOf } from '../../src/policy/instant.ts';
import { KEPT_LENGTH, KEPT_TEXTS } from '../../src/policy/kept-answers.ts';
import { compilePattern } from '../../src/policy/safe-pattern.ts';
import { DEFAULT_POLICY } from './default-policy.ts';

/**
 * A classification keeps answers it would otherwise work out again: each `matches` pattern its answer for texts it
 * was asked about (people share form names, titles, timelines), and the last date it parsed (a person's last
 * activity is read twice). A kept answer must be the one working it out gives, whatever the texts and their order.
 */

/** Every `matches` pattern in a parsed policy. */
function patternsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(patternsIn);
  if (typeof value !== 'object' || value === null) return [];
  const own = 'matches' in value && typeof value.matches === 'string' ? [value.matches] : [];
  return [...own, ...Object.values(value).flatMap(patternsIn)];
}

const WORDS = [
  'Request a demo',
  'DEMO day',
  'Pricing whitepaper',
  'Contact sales',
  'VP Sales',
  'Chief Intern',
  'this quarter',
  'within 2 weeks',
  'n/a',
  'joe@yourcompany.example',
  'ada@example.com',
  '',
  ' ',
];
/** Texts as a sync meets them: many repeated, some new, a few longer than those kept. */
const text = fc.oneof(
  { arbitrary: fc.constantFrom(...WORDS), weight: 6 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(...WORDS).map((word) => `${'x '.repeat(KEPT_LENGTH)}${word}`),
    weight: 1,
  },
);

describe('a pattern that keeps its answers', () => {
  const patterns = patternsIn(DEFAULT_POLICY.definition);

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers as RE2 does, for texts asked about once or many times', () => {
    expect(patterns.length).toBeGreaterThan(10);
    for (const pattern of patterns) {
      const kept = compilePattern(pattern);
      const re2 = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
      fc.assert(
        fc.property(fc.array(text, { maxLength: 40 }), (texts) => {
          for (const t of texts) expect(kept(t)).toBe(re2.test(t));
        }),
        { numRuns: 60, seed: 20260601 },
      );
    }
  });

  it('answers as RE2 does after it has been asked about more texts than it keeps', () => {
    const pattern = '\\b(head|chief|director|manager|vp|c[eotfmir]o)\\b';
    const kept = compilePattern(pattern);
    const re2 = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    const titles = Array.from({ length: KEPT_TEXTS * 3 }, (_, i) =>
      i % 3 === 0 ? `CEO ${i}` : `clerk ${i}`,
    );
    for (const title of [...titles, ...titles.toReversed()]) expect(kept(title)).toBe(re2.test(title));
  });

  it('runs RE2 once per text it keeps, and every time for a text too long to keep', () => {
    const kept = compilePattern('\\bdemo');
    const runs = vi.spyOn(RE2JS.prototype, 'test');
    for (let i = 0; i < 5; i++) expect(kept('Request a demo')).toBe(true);
    for (let i = 0; i < 5; i++) expect(kept('Pricing page')).toBe(false);
    expect(runs).toHaveBeenCalledTimes(2);
    const long = `${'a'.repeat(KEPT_LENGTH)} demo`;
    for (let i = 0; i < 3; i++) expect(kept(long)).toBe(true);
    expect(runs).toHaveBeenCalledTimes(5);
  });
});

describe('a date parsed again', () => {
  const date = fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom('2026-05-01T00:00:00.000Z', '2024-02-29', 'yesterday', ''),
    fc.string({ maxLength: 10 }),
  );

  it('is the time Date.parse gives, whatever was parsed before it', () => {
    fc.assert(
      fc.property(fc.array(date, { maxLength: 20 }), (texts) => {
        for (const t of [...texts, ...texts.toReversed()]) expect(timeOf(t)).toBe(Date.parse(t));
      }),
      { numRuns: 200, seed: 20260601 },
    );
  });

  it("is parsed once when a classification reads a person's last activity twice", () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    // Interest (a demo request) gives engagement points, which decay from the last activity, itself a score rule.
    const person = Person.parse({
      kind: 'lead',
      recentConversion: 'Request a demo',
      lastActivityAt: '2026-05-27T09:30:00.000Z',
    });
    const parse = vi.spyOn(Date, 'parse');
    const verdict = classify(person, undefined, [], DEFAULT_POLICY, { now, trace: false });
    expect(verdict.score).toBeGreaterThan(0);
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockRestore();
  });
});
