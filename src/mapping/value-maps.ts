import { VALUE_MAP_SETTINGS, type ValueMap, type ValueMapEntry } from '../config/schema.ts';
import { Invalid, type Step } from './step.ts';

type Scalar = string | number | boolean;

/** One value map seen from one connection, as two lookup steps. */
export interface ConnectionValueMap {
  /** External value → unified value (exact match first, then case-insensitive). */
  readonly inbound: Step;
  /** Unified value → the first value listed for the connection. */
  readonly outbound: Step;
}

const isScalar = (value: unknown): value is Scalar =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** The external values an entry lists for a connection; an entry naming other connections only has none. */
function targetsFor(target: ValueMapEntry, connection: string): readonly Scalar[] {
  if (isScalar(target)) return [target];
  if (Array.isArray(target)) return target;
  const own = target[connection];
  if (own === undefined) return [];
  return isScalar(own) ? [own] : own;
}

/** A value map's entries, its settings left out. */
export function valueMapEntries(map: ValueMap): [string, ValueMapEntry][] {
  return Object.entries(map).filter(
    (entry): entry is [string, ValueMapEntry] =>
      !(VALUE_MAP_SETTINGS as readonly string[]).includes(entry[0]) && entry[1] !== undefined,
  );
}

/**
 * Precomputes the lookup tables of a value map for one connection. A value the map does not know is refused
 * (the field's `onInvalid` decides what follows) unless the map names a `fallback` (inbound: read as that unified
 * value) or is `passthrough` (the value goes through unchanged, both ways).
 */
export function compileValueMap(name: string, map: ValueMap, connection: string): ConnectionValueMap {
  const exact = new Map<string, string>();
  const folded = new Map<string, string>();
  const written = new Map<string, Scalar>();
  for (const [unified, target] of valueMapEntries(map)) {
    const values = targetsFor(target, connection);
    const first = values[0];
    if (first === undefined) continue;
    if (!written.has(unified)) written.set(unified, first);
    for (const value of values) {
      const key = String(value);
      if (!exact.has(key)) exact.set(key, unified);
      const lower = key.toLowerCase();
      if (!folded.has(lower)) folded.set(lower, unified);
    }
  }
  const unknown = (value: Scalar) => new Invalid(`unknown value "${String(value)}" for value map ${name}`);
  const fallback = map.fallback;
  const inboundFallback =
    fallback !== undefined ? () => fallback : map.passthrough === true ? (value: Scalar) => value : undefined;
  const notScalar = new Invalid(`expected one value (text, number or true/false) for value map ${name}`);
  return {
    inbound: (value) => {
      if (value == null) return value;
      if (!isScalar(value)) return notScalar;
      const key = typeof value === 'string' ? value : String(value);
      return exact.get(key) ?? folded.get(key.toLowerCase()) ?? (inboundFallback ?? unknown)(value);
    },
    outbound: (value) => {
      if (value == null) return value;
      if (!isScalar(value)) return notScalar;
      const found = written.get(typeof value === 'string' ? value : String(value));
      if (found !== undefined) return found;
      return map.passthrough === true ? value : unknown(value);
    },
  };
}
