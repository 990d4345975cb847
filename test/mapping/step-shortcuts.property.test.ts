import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromEpoch, toDatetime } from '../../src/mapping/dates.ts';
import { toEmail } from '../../src/mapping/scalars.ts';
import { Invalid } from '../../src/mapping/step.ts';
import { email } from '../../src/mapping/text-transforms.ts';

/** Shortcuts the mapper takes on its hot path must give what the general way gives, for any value. */

/** The general way: what a Date says, within the four-digit years the model allows. */
function viaDate(ms: number): string | undefined {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  const iso = new Date(ms).toISOString();
  return iso.length === 24 ? iso : undefined;
}

const FIRST = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const LAST = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

describe('epoch milliseconds written out as ISO 8601', () => {
  it('is what new Date(ms).toISOString() gives, and undefined where the model has no such date', () => {
    const edges = [
      FIRST,
      LAST,
      0,
      -1,
      951_782_400_000,
      951_868_800_000,
      4_107_542_400_000,
      -2_208_988_800_000,
    ];
    const ms = fc.oneof(
      fc.integer({ min: FIRST - 86_400_000, max: LAST + 86_400_000 }),
      fc.integer({ min: -3e11, max: 5e12 }),
      fc.constantFrom(...edges).chain((edge) => fc.integer({ min: edge - 2, max: edge + 2 })),
      fc.double({ min: -1e16, max: 1e16 }),
      fc.constantFrom(-0, 0.5, -0.5, 1.999, -1.999, 8.64e15, -8.64e15, Number.NaN, Number.POSITIVE_INFINITY),
    );
    fc.assert(
      fc.property(ms, (value) => {
        expect(fromEpoch(value)).toBe(viaDate(value));
      }),
      { numRuns: 20_000, seed: 20260601 },
    );
  });

  it('is what the datetime coercion gives for epoch milliseconds sent as text, as HubSpot sends them', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST, max: LAST }), (value) => {
        expect(toDatetime(String(value))).toBe(viaDate(value));
      }),
      { numRuns: 2_000, seed: 7 },
    );
  });
});

describe('the e-mail transform', () => {
  it('gives only values the e-mail coercion keeps unchanged, so a field with it needs no second test', () => {
    const value = fc.oneof(
      fc.emailAddress(),
      fc.emailAddress().map((address) => `  ${address.toUpperCase()} `),
      fc.string(),
      fc.constantFrom('', '  ', 'a@b', 'A@B.CO', '.a@example.com', 'ada(at)example.com'),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(fc.emailAddress(), { maxLength: 2 }),
    );
    fc.assert(
      fc.property(value, (input) => {
        const once = email(input);
        const twice = once instanceof Invalid ? once : toEmail(once);
        expect(twice).toBe(once);
      }),
      { numRuns: 5_000, seed: 20260601 },
    );
  });
});
