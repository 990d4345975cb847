import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Companions } from '../../src/sync/companions.ts';

describe('companions: records planned together', () => {
  it('keeps records that share a key in one slice, in the order they were read', () => {
    const c = new Companions();
    c.add(['r/sf/1', 'm/email/ada@x']); // 0
    c.add(['r/sf/2', 'm/email/bob@x']); // 1
    c.add(['r/hs/9', 'm/email/ada@x']); // 2: Ada's twin
    c.add(['r/hs/8', 'r/sf/2']); // 3: names Bob's record as its twin
    c.add(['r/sf/3']); // 4
    expect(c.slices(2)).toEqual([[0, 2], [1, 3], [4]]);
    expect(c.slices(100)).toEqual([[0, 2, 1, 3, 4]]);
  });

  it('joins groups that a later record bridges, and gives a group larger than a slice a slice of its own', () => {
    const c = new Companions();
    c.add(['a']);
    c.add(['b']);
    c.add(['c']);
    c.add(['a', 'c']);
    c.add(['d']);
    expect(c.slices(1)).toEqual([[0, 2, 3], [1], [4]]);
  });

  it('puts every record in exactly one slice, each group whole, for any keys', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        (records, size) => {
          const c = new Companions();
          for (const keys of records) c.add(keys.map(String));
          const slices = c.slices(size);
          const sliceOf = new Map<number, number>();
          slices.forEach((s, n) => {
            for (const seq of s) sliceOf.set(seq, n);
          });
          expect([...sliceOf.keys()].sort((a, b) => a - b)).toEqual(records.map((_, i) => i));
          // Records sharing a key are in the same slice.
          const firstWith = new Map<number, number>();
          records.forEach((keys, seq) => {
            for (const key of keys) {
              const first = firstWith.get(key);
              if (first === undefined) firstWith.set(key, seq);
              else expect(sliceOf.get(seq)).toBe(sliceOf.get(first));
            }
          });
          // Every slice but the last holds at least `size` records.
          for (const s of slices.slice(0, -1)) expect(s.length).toBeGreaterThanOrEqual(size);
        },
      ),
    );
  });
});
