import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/index.ts';
import { MINIMAL } from './minimal-policy.ts';

function versionOf(text: string): string {
  const result = parsePolicy(text, 'policy.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value.version;
}

describe('the policy version', () => {
  const base = versionOf(MINIMAL);

  it('is 12 hex digits', () => {
    expect(base).toMatch(/^[0-9a-f]{12}$/);
  });

  it('ignores key order, comments and defaults written out', () => {
    const reordered = MINIMAL.replace('version: 1\n', '# reordered\n').concat('version: 1\n');
    expect(versionOf(reordered)).toBe(base);
    const explicit = MINIMAL.replace(
      '{ convertedStatus: Qualified }',
      '{ convertedStatus: Qualified, createOpportunity: true }',
    );
    expect(versionOf(explicit)).toBe(base);
  });

  it('changes when a rule changes', () => {
    expect(versionOf(MINIMAL.replace('salesReady: 80', 'salesReady: 85'))).not.toBe(base);
    expect(versionOf(MINIMAL.replace('in: [US, CA]', 'in: [CA, US]'))).not.toBe(base);
  });
});
