import { isMissing } from '../model/blank.ts';
import type { ConditionSpec, Literal } from './condition-schema.ts';
import { compileGetter, type Getter } from './field-path.ts';
import { timeOf } from './instant.ts';
import { keepingAnswers } from './kept-answers.ts';
import { compilePattern } from './safe-pattern.ts';
import type { Seen, Test } from './subject.ts';
import type { FactName } from './vocabulary.ts';

const DAY = 86_400_000;

/** Comparable form of a literal or a value: the same person written by two CRMs compares equal. */
function key(value: unknown): string {
  return String(value).trim().toLowerCase();
}

function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** A test of one field's value; `now` is the classification's clock. */
type Predicate = (value: unknown, now: number) => boolean;

/** A test of a present value that looks at each element of a list (e.g. `otherEmails`): any may match. */
function presentElement(test: (element: unknown) => boolean): Predicate {
  return (value) => !isMissing(value) && (Array.isArray(value) ? value.some(test) : test(value));
}

function predicate(spec: ConditionSpec): Predicate {
  if (spec.exists !== undefined) {
    const wanted = spec.exists;
    return (value) => !isMissing(value) === wanted;
  }
  if (spec.eq !== undefined || spec.in !== undefined) {
    const literals: readonly Literal[] = spec.in ?? [spec.eq as Literal];
    const keys = new Set(literals.map(key));
    const listed = (value: unknown) => keys.has(key(value));
    const textListed = keepingAnswers(listed);
    return presentElement((value) => (typeof value === 'string' ? textListed(value) : listed(value)));
  }
  if (spec.matches !== undefined) {
    const pattern = compilePattern(spec.matches);
    return presentElement((value) => pattern(String(value)));
  }
  if (spec.withinDays !== undefined) {
    const span = spec.withinDays * DAY;
    return (value, now) => {
      if (isMissing(value)) return false;
      const at = typeof value === 'string' ? timeOf(value) : Number.NaN;
      return now - at <= span;
    };
  }
  const low = spec.gte ?? Number.NEGATIVE_INFINITY;
  const high = spec.lte ?? Number.POSITIVE_INFINITY;
  return (value) => {
    if (isMissing(value)) return false;
    const n = numberOf(value);
    return n >= low && n <= high;
  };
}

function comparison(spec: ConditionSpec): Test {
  const paths = typeof spec.field === 'string' ? [spec.field] : [...(spec.field ?? [])];
  const test = predicate(spec);
  const getters = paths.map(compileGetter);
  if (paths.length === 1) {
    const [path, get] = [paths[0] as string, getters[0] as Getter];
    return (s, seen) => {
      const value = get(s.person, s.account);
      if (seen !== undefined) seen[path] = value ?? null;
      return test(value, s.now);
    };
  }
  // Indexed, not `for…of` over pairs: this runs for every person, for each rule that names several fields.
  return (s, seen) => {
    for (let i = 0; i < getters.length; i++) {
      const value = (getters[i] as Getter)(s.person, s.account);
      if (seen !== undefined) seen[paths[i] as string] = value ?? null;
      if (test(value, s.now)) return true;
    }
    return false;
  };
}

/** Compiles a checked condition into a closure; `signalIndex` numbers the policy's signals. */
export function compileCondition(spec: ConditionSpec, signalIndex: ReadonlyMap<string, number>): Test {
  const inner = (child: ConditionSpec) => compileCondition(child, signalIndex);
  if (spec.all !== undefined) {
    const tests = spec.all.map(inner);
    return (s, seen) => {
      for (const test of tests) if (!test(s, seen)) return false;
      return true;
    };
  }
  if (spec.any !== undefined) {
    const tests = spec.any.map(inner);
    return (s, seen) => {
      for (const test of tests) if (test(s, seen)) return true;
      return false;
    };
  }
  if (spec.not !== undefined) {
    const test = inner(spec.not);
    return (s, seen) => !test(s, seen);
  }
  if (spec.signal !== undefined)
    return reference(`signal:${spec.signal}`, signalIndex.get(spec.signal) ?? -1);
  if (spec.fact !== undefined) {
    const fact = spec.fact as FactName;
    const label = `fact:${fact}`;
    return (s, seen) => record(seen, label, s.facts[fact]);
  }
  if (spec.leadType !== undefined) {
    const wanted = new Set<string | null>(spec.leadType);
    return (s, seen) => record(seen, 'leadType', s.leadType) !== null && wanted.has(s.leadType);
  }
  if (spec.temperature !== undefined) {
    const wanted = new Set<string>(spec.temperature);
    return (s, seen) => wanted.has(record(seen, 'temperature', s.temperature));
  }
  return comparison(spec);
}

function reference(label: string, index: number): Test {
  return (s, seen) => record(seen, label, s.signals[index] === true);
}

function record<T>(seen: Seen | undefined, label: string, value: T): T {
  if (seen !== undefined) seen[label] = value;
  return value;
}
