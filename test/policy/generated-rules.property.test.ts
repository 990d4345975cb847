import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, compileRule } from '../../src/policy/condition-compile.ts';
import type { ConditionSpec } from '../../src/policy/condition-schema.ts';
import type { Seen, Subject } from '../../src/policy/subject.ts';
import { FACT_NAMES, LEAD_TYPES, TEMPERATURES } from '../../src/policy/vocabulary.ts';

/**
 * A rule classifies without a trace through one generated function and with the trace through its closures: for
 * any condition and any person, both must give the same answer, and the traced path must still see what it saw.
 */
const NOW = Date.parse('2026-06-01T00:00:00Z');
const SIGNALS = ['formFill', 'demoRequest', 'chat'];
const signalIndex = new Map(SIGNALS.map((name, index) => [name, index]));

const PATHS = [
  'title',
  'email',
  'conversionCount',
  'lastActivityAt',
  'otherEmails',
  'address.country',
  'custom.budget',
  'custom.timeline',
  'account.industry',
  'account.employees',
  'account.address.country',
  // Names no policy check lets through, read as keys and nothing else.
  'custom.x"]; globalThis["ranFromPath"] = true; //',
  'custom.__proto__',
  'constructor',
];

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, '', '  ', 'US', ' us ', 'Demo request', 'CTO', '50', 'true', true, false),
  fc.constantFrom('2026-05-20T10:00:00.000Z', '2025-01-01', 'not a date', ['a@b.example', 'US'], {
    country: 'US',
  }),
  fc.integer({ min: -5, max: 200_000 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 8 }),
);
const literal = fc.oneof(
  fc.constantFrom('US', 'us', 'CTO', '50', 'true'),
  fc.integer({ min: 0, max: 100 }),
  fc.boolean(),
);

const comparison: fc.Arbitrary<ConditionSpec> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(...PATHS),
      fc.uniqueArray(fc.constantFrom(...PATHS), { minLength: 2, maxLength: 3 }),
    ),
    fc.oneof(
      literal.map((eq) => ({ eq })),
      fc.array(literal, { minLength: 1, maxLength: 3 }).map((list) => ({ in: list })),
      fc.boolean().map((exists) => ({ exists })),
      fc
        .constantFrom('demo', '^\\s*$', 'c[eot]o', '"]; globalThis.ranFromPattern = true; //')
        .map((matches) => ({ matches })),
      fc.integer({ min: 1, max: 400 }).map((withinDays) => ({ withinDays })),
      fc
        .record(
          { gte: fc.integer({ min: -10, max: 100 }), lte: fc.integer({ min: 0, max: 100_000 }) },
          { requiredKeys: [] },
        )
        .filter((range) => range.gte !== undefined || range.lte !== undefined),
    ),
  )
  .map(([field, operator]): ConditionSpec => ({ field, ...operator }));

const reference: fc.Arbitrary<ConditionSpec> = fc.oneof(
  fc.constantFrom(...SIGNALS, 'unknownSignal').map((signal) => ({ signal })),
  fc.constantFrom(...FACT_NAMES).map((fact) => ({ fact })),
  fc.uniqueArray(fc.constantFrom(...LEAD_TYPES), { minLength: 1 }).map((leadType) => ({ leadType })),
  fc.uniqueArray(fc.constantFrom(...TEMPERATURES), { minLength: 1 }).map((temperature) => ({ temperature })),
);

const { condition } = fc.letrec<{ condition: ConditionSpec }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    reference,
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    tie('condition').map((not) => ({ not })),
  ),
}));

const fields = fc.dictionary(
  fc.constantFrom('title', 'email', 'conversionCount', 'lastActivityAt', 'otherEmails', 'constructor'),
  anyValue,
);
const subject: fc.Arbitrary<Subject> = fc
  .record({
    person: fields,
    address: fc.option(fc.record({ country: anyValue }), { nil: undefined }),
    custom: fc.dictionary(fc.constantFrom('budget', 'timeline'), anyValue),
    account: fc.option(
      fc.record({
        industry: anyValue,
        employees: anyValue,
        address: fc.option(fc.record({ country: anyValue })),
      }),
      { nil: undefined },
    ),
    signals: fc.array(fc.boolean(), { minLength: SIGNALS.length, maxLength: SIGNALS.length }),
    facts: fc.record(
      Object.fromEntries(FACT_NAMES.map((name) => [name, fc.boolean()])) as Record<
        string,
        fc.Arbitrary<boolean>
      >,
    ),
    leadType: fc.option(fc.constantFrom(...LEAD_TYPES), { nil: null }),
    temperature: fc.constantFrom(...TEMPERATURES),
  })
  .map(
    ({ person, address, custom, account, ...derived }) =>
      ({
        person: { ...person, ...(address === undefined ? {} : { address }), custom },
        account,
        now: NOW,
        ...derived,
      }) as unknown as Subject,
  );

describe('a rule generated as one function', () => {
  it('answers as its closures do, for any condition and any person, and traces what they trace', () => {
    fc.assert(
      fc.property(condition, fc.array(subject, { minLength: 1, maxLength: 5 }), (spec, subjects) => {
        const closures = compileCondition(spec, signalIndex);
        const rule = compileRule(spec, signalIndex);
        for (const s of subjects) {
          const expected = closures(s, {});
          expect(rule(s, undefined)).toBe(expected);
          const seenByRule: Seen = {};
          const seenByClosures: Seen = {};
          expect(rule(s, seenByRule)).toBe(closures(s, seenByClosures));
          expect(seenByRule).toEqual(seenByClosures);
        }
      }),
      { numRuns: 2_000 },
    );
    expect((globalThis as { ranFromPath?: boolean }).ranFromPath).toBeUndefined();
    expect((globalThis as { ranFromPattern?: boolean }).ranFromPattern).toBeUndefined();
  });

  it('reads a field whose name holds quotes as that key, and runs nothing written in it', () => {
    // No dot in the name: a path's dots separate its steps, for the closures as for the generated function.
    const path = 'custom.x"]; globalThis["ranFromPath"] = true; //';
    const rule = compileRule({ field: path, eq: 'yes' }, signalIndex);
    const s = (custom: Record<string, unknown>) =>
      ({ person: { custom }, account: undefined, now: NOW, signals: [], facts: {} }) as unknown as Subject;
    expect(rule(s({ 'x"]; globalThis["ranFromPath"] = true; //': ' YES ' }), undefined)).toBe(true);
    expect(rule(s({ x: 'yes' }), undefined)).toBe(false);
    expect((globalThis as { ranFromPath?: boolean }).ranFromPath).toBeUndefined();
  });

  it('falls back to the closures, with the same verdicts, where Node refuses to generate code', () => {
    const script = [
      "import { classify, DEFAULT_POLICY_FILE, loadPolicy } from './src/policy/index.ts';",
      "import { Person } from './src/model/index.ts';",
      'const policy = await loadPolicy(DEFAULT_POLICY_FILE);',
      'if (!policy.ok) throw new Error("the default policy does not load");',
      "const person = Person.parse({ kind: 'lead', email: 'ada@acme.example', title: 'CTO', address: { country: 'US' }, industry: 'technology', employees: 500, recentConversion: 'Request a demo', conversionCount: 2, custom: { budget: 50000, timeline: 'this quarter', need: 'two CRMs' } });",
      `const verdict = classify(person, undefined, [], policy.value, { now: ${NOW}, trace: false });`,
      'console.log(JSON.stringify({ generated: (() => { try { return new Function("return 1")() === 1; } catch { return false; } })(), verdict }));',
    ].join('\n');
    const run = (flags: string[]) =>
      JSON.parse(
        execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' }),
      ) as { generated: boolean; verdict: unknown };
    const refused = run(['--disallow-code-generation-from-strings']);
    const allowed = run([]);
    expect(refused.generated).toBe(false);
    expect(allowed.generated).toBe(true);
    expect(refused.verdict).toEqual(allowed.verdict);
    expect(allowed.verdict).toMatchObject({ leadType: 'IQL', fit: true, temperature: 'hot' });
  });
});
