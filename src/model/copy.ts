/**
 * A deep copy of a record's data (plain objects, arrays and primitives, as JSON and the mappers make them), in a
 * quarter of the time `structuredClone` takes: a round copies every record it plans three times. Anything else
 * (a Date, a Map) is copied by `structuredClone`. A key named `__proto__` stays an own key, as it is in the source.
 */
export function copyData<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyData) as T;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copied = copyData((value as Record<string, unknown>)[key]);
    if (key === '__proto__')
      Object.defineProperty(out, key, {
        value: copied,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = copied;
  }
  return out as T;
}
