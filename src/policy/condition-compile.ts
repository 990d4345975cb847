import { generatedFunction, quoted } from '../generated-code.ts';
import { isMissing } from '../model/blank.ts';
import type { ConditionSpec, Literal } from './condition-schema.ts';
import { compileGetter, type Getter, inside, pathSteps } from './field-path.ts';
import { timeOf } from './instant.ts';
import { keepingAnswers } from './kept-answers.ts';
import { compilePattern } from './safe-pattern.ts';
import type { Seen, Subject, Test } from './subject.ts';
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

/** Source that reads a path of `p` (the person) or `a` (the account) as the path's getter does. */
function readSource(path: string): string {
  const { onAccount, first, second } = pathSteps(path);
  const top = onAccount ? `(a === undefined ? undefined : a[${quoted(first)}])` : `p[${quoted(first)}]`;
  return second === undefined ? top : `inside(${top}, ${quoted(second)})`;
}

/**
 * Source of an expression that gives what the condition's closures give, without the trace; the values it needs
 * (predicates, sets) are added to `values` and read as `v[i]`.
 */
function conditionSource(
  spec: ConditionSpec,
  signalIndex: ReadonlyMap<string, number>,
  values: unknown[],
): string {
  const value = (item: unknown) => `v[${values.push(item) - 1}]`;
  const inner = (child: ConditionSpec) => conditionSource(child, signalIndex, values);
  if (spec.all !== undefined) return spec.all.length === 0 ? 'true' : `(${spec.all.map(inner).join(' && ')})`;
  if (spec.any !== undefined)
    return spec.any.length === 0 ? 'false' : `(${spec.any.map(inner).join(' || ')})`;
  if (spec.not !== undefined) return `!${inner(spec.not)}`;
  if (spec.signal !== undefined) return `(s.signals[${signalIndex.get(spec.signal) ?? -1}] === true)`;
  if (spec.fact !== undefined) return `s.facts[${quoted(spec.fact)}]`;
  if (spec.leadType !== undefined)
    return `(s.leadType !== null && ${value(new Set<string | null>(spec.leadType))}.has(s.leadType))`;
  if (spec.temperature !== undefined) return `${value(new Set<string>(spec.temperature))}.has(s.temperature)`;
  const paths = typeof spec.field === 'string' ? [spec.field] : [...(spec.field ?? [])];
  const test = value(predicate(spec));
  return `(${paths.map((path) => `${test}(${readSource(path)}, s.now)`).join(' || ')})`;
}

/**
 * A rule of the policy: when no trace is asked for, one generated function for the whole condition (see
 * generatedFunction: a third of classifying's time goes otherwise to calls between closures); with the trace, the
 * closures, which note what each part saw. Both give the same answer (test/policy/generated-rules.property.test.ts).
 */
export function compileRule(spec: ConditionSpec, signalIndex: ReadonlyMap<string, number>): Test {
  const traced = compileCondition(spec, signalIndex);
  const values: unknown[] = [];
  const body = conditionSource(spec, signalIndex, values);
  const untraced = generatedFunction<(s: Subject) => boolean>(
    ['v', 'inside'],
    `return (s) => { const p = s.person; const a = s.account; return ${body}; };`,
    values,
    inside,
  );
  if (untraced === undefined) return traced;
  return (s, seen) => (seen === undefined ? untraced(s) : traced(s, seen));
}
