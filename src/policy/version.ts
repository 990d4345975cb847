import { createHash } from 'node:crypto';
import type { Policy } from './schema.ts';

/** Keys sorted at every level, so that reordering a file's keys does not change its version. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, normalise((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** The first 12 hex digits of the sha256 of the policy's normalised form (parsed, defaults applied). */
export function policyVersion(policy: Policy): string {
  return createHash('sha256')
    .update(JSON.stringify(normalise(policy)))
    .digest('hex')
    .slice(0, 12);
}
