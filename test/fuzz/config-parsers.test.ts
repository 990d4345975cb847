import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { formatIssue, type Validated } from '../../src/config/yaml-source.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import { mutate, mutations } from './yaml-mutations.ts';

/**
 * Generated config and policy files, mutations of the shipped ones: the parsers never crash or hang, and every
 * file they refuse is refused with issues that each say file:line:column.
 */
const RUNS = 1000;
const parsers = [
  ['config', readFileSync('config/example.yaml', 'utf8'), parseConfig],
  ['policy', readFileSync('config/policy.default.yaml', 'utf8'), parsePolicy],
] as const;

describe.each(parsers)(`the %s parser on ${RUNS} generated files`, (_what, base, parse) => {
  it('never throws or hangs, and locates every issue', () => {
    let refused = 0;
    let slowest = 0;
    fc.assert(
      fc.property(mutations, (list) => {
        const text = mutate(base, list);
        const started = performance.now();
        let result: Validated<unknown> | undefined;
        let thrown: unknown;
        try {
          result = parse(text, 'fuzz.yaml');
        } catch (error) {
          thrown = error;
        }
        slowest = Math.max(slowest, performance.now() - started);
        expect(thrown).toBeUndefined();
        expect(performance.now() - started).toBeLessThan(2000);
        if (result?.ok === false) {
          refused++;
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) expect(formatIssue(issue)).toMatch(/^fuzz\.yaml:\d+:\d+ \S/);
          expect(result.issues.every((i) => i.line >= 1 && i.column >= 1)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    // Most mutations break the file: the test exercises the refusals, not only the happy path.
    expect(refused).toBeGreaterThan(RUNS / 2);
    expect(slowest).toBeLessThan(2000);
  }, 120_000);

  it('accepts the shipped file unchanged', () => {
    expect(parse(base, 'fuzz.yaml').ok).toBe(true);
  });
});

describe('the mutations themselves', () => {
  it('skip a value nested too deeply for the YAML writer, leaving the text as it was', () => {
    let deep: unknown = 'deep';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const base = parsers[0][1];
    expect(mutate(base, [{ kind: 'set', pick: 3, value: deep }])).toBe(base);
  });

  it('leave a binary value whole when they delete beside it', () => {
    // A `!!binary` scalar parses to a Uint8Array: the mutations delete keys of mappings, never its bytes.
    const text = mutate(parsers[0][1], [
      { kind: 'text', trick: 'bin: !!binary aGVsbG8=\n', at: 0 },
      { kind: 'delete', pick: 10819675 },
    ]);
    expect(typeof text).toBe('string');
    expect(parseConfig(text, 'fuzz.yaml').ok).toBe(false);
  });
});
