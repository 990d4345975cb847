import { describe, expect, it } from 'vitest';
import { Account, type AccountInput, Person, type PersonInput } from '../../src/model/index.ts';
import { classify, parsePolicy } from '../../src/policy/index.ts';
import { MINIMAL } from './minimal-policy.ts';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

/** Whether `condition` (YAML flow syntax), used as the demoRequest signal, matches the person. */
function matches(condition: string, person: Omit<PersonInput, 'kind'>, account?: AccountInput): boolean {
  const text = MINIMAL.replace('{ field: recentConversion, matches: demo }', condition);
  const policy = parsePolicy(text, 'policy.yaml');
  if (!policy.ok) throw new Error(policy.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const verdict = classify(
    Person.parse({ kind: 'lead', ...person }),
    account === undefined ? undefined : Account.parse(account),
    [],
    policy.value,
    { now: NOW, trace: false },
  );
  return verdict.interest.includes('demoRequest');
}

describe('the condition language', () => {
  it.each<[string, string, Omit<PersonInput, 'kind'>, boolean]>([
    [
      'eq ignores case and spaces',
      '{ field: address.country, eq: us }',
      { address: { country: ' US ' } },
      true,
    ],
    ['eq on another value', '{ field: address.country, eq: us }', { address: { country: 'DE' } }, false],
    ['eq on no value', '{ field: address.country, eq: us }', {}, false],
    [
      'eq compares a number with its text',
      '{ field: custom.size, eq: 50 }',
      { custom: { size: '50' } },
      true,
    ],
    ['eq true on a flag', '{ field: emailOptOut, eq: true }', { emailOptOut: true }, true],
    ['in', '{ field: title, in: [CEO, CTO] }', { title: 'cto' }, true],
    ['in, not listed', '{ field: title, in: [CEO, CTO] }', { title: 'CFO' }, false],
    ['gte', '{ field: employees, gte: 50 }', { employees: 50 }, true],
    ['gte, below', '{ field: employees, gte: 50 }', { employees: 49 }, false],
    ['gte on numeric text', '{ field: custom.budget, gte: 10000 }', { custom: { budget: '15000' } }, true],
    ['gte on no value', '{ field: employees, gte: 0 }', {}, false],
    ['lte', '{ field: employees, lte: 10 }', { employees: 3 }, true],
    ['a range', '{ field: employees, gte: 10, lte: 100 }', { employees: 101 }, false],
    ['exists', '{ field: title, exists: true }', { title: 'CTO' }, true],
    ['blank text does not exist', '{ field: title, exists: true }', { title: '  ' }, false],
    ['exists false on null', '{ field: title, exists: false }', { title: null }, true],
    ['matches ignores case', '{ field: title, matches: "^vp\\\\b" }', { title: 'VP Sales' }, true],
    [
      'matches any element of a list',
      '{ field: otherEmails, matches: "@acme\\\\.com$" }',
      { otherEmails: ['a@x.io', 'b@acme.com'] },
      true,
    ],
    [
      'a list of fields: any of them',
      '{ field: [firstConversion, recentConversion], matches: demo }',
      { firstConversion: 'Demo' },
      true,
    ],
    [
      'withinDays, inside',
      '{ field: lastActivityAt, withinDays: 30 }',
      { lastActivityAt: daysAgo(29) },
      true,
    ],
    [
      'withinDays, outside',
      '{ field: lastActivityAt, withinDays: 30 }',
      { lastActivityAt: daysAgo(31) },
      false,
    ],
    ['not', '{ not: { field: leadSource, eq: purchasedList } }', {}, true],
    [
      'all',
      '{ all: [{ field: title, exists: true }, { field: employees, gte: 5 }] }',
      { title: 'CTO', employees: 4 },
      false,
    ],
    [
      'any',
      '{ any: [{ field: title, exists: true }, { field: employees, gte: 5 }] }',
      { employees: 5 },
      true,
    ],
    ['an account field without an account', '{ field: account.employees, gte: 1 }', {}, false],
  ])('%s', (_, condition, person, expected) => {
    expect(matches(condition, person)).toBe(expected);
  });

  it('reads account fields from the account', () => {
    const condition = '{ field: account.industry, in: [finance] }';
    expect(matches(condition, {}, { name: 'Bank', industry: 'Finance' })).toBe(true);
  });
});
