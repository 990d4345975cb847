import { describe, expect, it } from 'vitest';
import { mergeRecord, type Side } from '../../src/sync/merge.ts';

const ORDER = ['sf', 'hs'];
const T1 = '2026-11-01T10:00:00.000Z';
const T2 = '2026-11-01T11:00:00.000Z';
const sf = (values: Record<string, unknown>, modifiedAt = T1): Side => ({
  connection: 'sf',
  modifiedAt,
  values,
});
const hs = (values: Record<string, unknown>, modifiedAt = T1): Side => ({
  connection: 'hs',
  modifiedAt,
  values,
});
const merge = (rule: string, base: Record<string, unknown> | undefined, ...sides: Side[]) =>
  mergeRecord([{ field: 'title', rule }], base, sides, ORDER);

describe('field rules', () => {
  it.each([
    // rule, base, sf value, hs value (undefined: side not pulled), sf time, hs time, expected, winner
    ['two-way', { title: 'A' }, 'B', undefined, T1, T1, 'B', 'sf'],
    ['two-way', { title: 'A' }, undefined, 'C', T1, T1, 'C', 'hs'],
    ['two-way', { title: 'A' }, 'B', 'C', T1, T2, 'C', 'hs'],
    ['two-way', { title: 'A' }, 'B', 'C', T2, T1, 'B', 'sf'],
    ['two-way', { title: 'A' }, 'B', 'A', T1, T2, 'B', 'sf'],
    ['two-way', undefined, 'B', 'C', T1, T2, 'C', 'hs'],
    ['two-way', undefined, null, 'C', T2, T1, 'C', 'hs'],
    ['prefer:sf', { title: 'A' }, 'B', 'C', T1, T2, 'B', 'sf'],
    ['prefer:sf', { title: 'A' }, null, 'C', T1, T1, 'C', 'hs'],
    ['prefer:sf', { title: 'A' }, undefined, 'C', T1, T2, 'A', undefined],
    ['prefer:sf', { title: null }, undefined, 'C', T1, T2, 'C', 'hs'],
    ['prefer:hs', undefined, 'B', '', T2, T1, 'B', 'sf'],
    ['always:sf', { title: 'A' }, null, 'C', T1, T2, null, 'sf'],
    ['always:sf', { title: 'A' }, undefined, 'C', T1, T2, 'A', undefined],
    ['always:hs', { title: 'A' }, 'B', 'C', T2, T1, 'C', 'hs'],
    ['one-way:sf->hs', { title: 'A' }, 'B', 'C', T1, T2, 'B', 'sf'],
    ['one-way:hs->sf', { title: 'A' }, undefined, 'C', T1, T1, 'C', 'hs'],
    ['one-way:hs->sf', { title: 'A' }, 'B', null, T1, T1, 'B', 'sf'],
    ['one-way:hs->sf', undefined, 'B', '', T2, T1, 'B', 'sf'],
  ] as const)(
    '%s: base %j, sf %j, hs %j (sf at %s, hs at %s) → %j from %s',
    (rule, base, s, h, ts, th, expected, winner) => {
      const sides = [
        ...(s === undefined ? [] : [sf({ title: s }, ts)]),
        ...(h === undefined ? [] : [hs({ title: h }, th)]),
      ];
      const result = merge(rule, base, ...sides);
      expect(result.values.title).toBe(expected);
      expect(result.winners.title).toBe(winner);
    },
  );

  it('reports a two-way conflict with both values and the winner', () => {
    const result = merge('two-way', { title: 'A' }, sf({ title: 'B' }, T2), hs({ title: 'C' }, T1));
    expect(result.conflicts).toEqual([{ field: 'title', winner: 'sf', values: { sf: 'B', hs: 'C' } }]);
  });

  it('uses per-field change times over record times', () => {
    const sides: Side[] = [
      { connection: 'sf', modifiedAt: T2, values: { title: 'B' }, fieldModifiedAt: { title: T1 } },
      { connection: 'hs', modifiedAt: T1, values: { title: 'C' }, fieldModifiedAt: { title: T2 } },
    ];
    expect(
      mergeRecord([{ field: 'title', rule: 'two-way' }], { title: 'A' }, sides, ORDER).values.title,
    ).toBe('C');
  });

  it('does not depend on the order sides arrive in', () => {
    const a = merge('two-way', { title: 'A' }, sf({ title: 'B' }), hs({ title: 'C' }));
    const b = merge('two-way', { title: 'A' }, hs({ title: 'C' }), sf({ title: 'B' }));
    expect(a).toEqual(b);
    expect(a.values.title).toBe('B');
  });

  it('keeps the base for fields nobody changed and leaves unknown fields out', () => {
    const result = mergeRecord(
      [
        { field: 'title', rule: 'two-way' },
        { field: 'phone', rule: 'two-way' },
      ],
      { title: 'A' },
      [sf({ title: 'A' })],
      ORDER,
    );
    expect(result.values).toEqual({ title: 'A' });
    expect(result.winners).toEqual({});
  });
});
