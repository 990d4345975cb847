import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Account, Person } from '../../src/model/index.ts';
import { classify, parsePolicy } from '../../src/policy/index.ts';
import { MINIMAL } from './minimal-policy.ts';

/**
 * `eq` and `in` compare a value with the listed literals in a comparable form (text, trimmed, lower case), any
 * element of a list may match, and no value (absent, null, blank) never matches. The compiled condition keeps
 * its answers for texts it has seen; this holds it to the rule as written, for a field of the person, a nested one
 * and one of the account, value after value.
 */
const NOW = Date.parse('2026-06-01T00:00:00Z');

type Value = string | number | boolean | null | undefined | string[];
const comparable = (value: unknown) => String(value).trim().toLowerCase();
const missing = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** The rule as written. */
function expected(literals: readonly (string | number | boolean)[], value: Value): boolean {
  if (missing(value)) return false;
  const keys = literals.map(comparable);
  const one = (element: unknown) => keys.includes(comparable(element));
  return Array.isArray(value) ? value.some(one) : one(value);
}

const WORDS = [
  'technology',
  'Technology',
  ' TECHNOLOGY ',
  'finance',
  'us',
  'US',
  'true',
  'TRUE',
  '50',
  ' 50',
];
const literal = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.constantFrom(50, 0, 1.5, true, false),
  fc.string({ maxLength: 6 }).filter((text) => /^[A-Za-z][A-Za-z0-9 ]*$/.test(text)),
);
const word = fc.oneof(fc.constantFrom(...WORDS, '', '  '), fc.string({ maxLength: 6 }));
const FIELDS = {
  title: fc.option(word, { nil: undefined }),
  'custom.size': fc.oneof(
    word,
    fc.constantFrom(50, 1.5, 0, true, false, null),
    fc.array(word, { maxLength: 3 }),
  ),
  'account.industry': fc.option(word, { nil: undefined }),
} as const;
const field = fc.constantFrom(...(Object.keys(FIELDS) as (keyof typeof FIELDS)[]));

/**
 * Whether `{ field, in: literals }`, as the demoRequest signal, matches people whose field holds each of `values`,
 * one after the other through one compiled policy (which keeps answers for values it has seen).
 */
function matched(
  path: keyof typeof FIELDS,
  literals: readonly unknown[],
  values: readonly Value[],
): boolean[] {
  const condition = `{ field: ${path}, in: ${JSON.stringify(literals)} }`;
  const policy = parsePolicy(
    MINIMAL.replace('{ field: recentConversion, matches: demo }', condition),
    'p.yaml',
  );
  if (!policy.ok) throw new Error(policy.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return values.map((value) => {
    const person =
      path === 'custom.size' ? { custom: { size: value } } : path === 'title' ? { title: value } : {};
    const account =
      path === 'account.industry' ? Account.parse({ name: 'Acme', industry: value }) : undefined;
    const verdict = classify(Person.parse({ kind: 'lead', ...person }), account, [], policy.value, {
      now: NOW,
      trace: false,
    });
    return verdict.interest.includes('demoRequest');
  });
}

describe('eq and in', () => {
  it('match as the comparable forms of value and literals say, on any field, value after value', () => {
    fc.assert(
      fc.property(
        field.chain((path) =>
          fc.tuple(
            fc.constant(path),
            fc.array(literal, { minLength: 1, maxLength: 4 }),
            fc.array(FIELDS[path], { minLength: 1, maxLength: 12 }),
          ),
        ),
        ([path, literals, values]) => {
          const expectations = (values as Value[]).map((value) => expected(literals, value));
          expect(matched(path, literals, values as Value[])).toEqual(expectations);
        },
      ),
      { numRuns: 200, seed: 20260601 },
    );
  });
});
