import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyData } from '../../src/model/copy.ts';

/** Every object and array inside a value, for checking that a copy shares none of them. */
function containers(value: unknown, out = new Set<object>()): Set<object> {
  if (typeof value === 'object' && value !== null) {
    out.add(value);
    for (const inner of Object.values(value)) containers(inner, out);
  }
  return out;
}

describe('copyData', () => {
  it('copies any JSON value to an equal one that shares no object or array with it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = copyData(value);
        expect(copy).toStrictEqual(value);
        const inSource = containers(value);
        for (const inner of containers(copy)) expect(inSource.has(inner)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a key named __proto__ as an own key, without changing the copy’s prototype', () => {
    const source = JSON.parse('{"__proto__": {"polluted": true}, "custom": {"__proto__": [1]}}');
    const copy = copyData(source) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'custom']);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(structuredClone(source)).toEqual(copy);
  });

  it('keeps undefined values, and copies what is not plain data as structuredClone does', () => {
    const at = new Date('2026-12-06T10:00:00.000Z');
    const copy = copyData({ a: undefined, at, list: [at, { b: null }] });
    expect(Object.keys(copy)).toEqual(['a', 'at', 'list']);
    expect(copy.at).toBeInstanceOf(Date);
    expect(copy.at).not.toBe(at);
    expect(copy.at.getTime()).toBe(at.getTime());
    expect(copy.list[1]).toEqual({ b: null });
  });
});
