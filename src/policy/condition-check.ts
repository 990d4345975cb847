import type { PathSegment, Report } from '../config/yaml-source.ts';
import { HEADS, OPERATORS } from './condition-schema.ts';
import { type PathType, pathType, suggestPath } from './field-path.ts';
import { patternProblem } from './safe-pattern.ts';
import { AVAILABLE_FROM, FACTS, knownAt, type Step } from './vocabulary.ts';

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a condition sits: the step it runs in and the names it may refer to. */
export interface ConditionScope {
  readonly step: Step;
  readonly signals: ReadonlySet<string>;
  readonly report: Report;
  readonly closestSignal: (name: string) => string | undefined;
}

const NUMERIC: ReadonlySet<PathType> = new Set(['integer', 'number', 'custom']);
const DATES: ReadonlySet<PathType> = new Set(['date', 'datetime', 'custom']);
const TEXT: ReadonlySet<PathType> = new Set(['string', 'email', 'stringList', 'custom']);

/** Reports every mistake in one condition tree that the structural schema cannot see. */
export function checkCondition(raw: unknown, at: readonly PathSegment[], scope: ConditionScope): void {
  if (!isRecord(raw)) return;
  const { report } = scope;
  const heads = HEADS.filter((key) => key in raw);
  if (heads.length === 0) {
    report(at, `expected a condition: one of ${HEADS.join(', ')}`);
    return;
  }
  if (heads.length > 1) {
    report(at, `a condition has exactly one of ${HEADS.join(', ')}; found ${heads.join(' and ')}`);
    return;
  }
  const head = heads[0];
  if (head !== 'field') {
    for (const op of OPERATORS)
      if (op in raw) report([...at, op], `"${op}" only applies to a comparison with "field"`);
  }
  switch (head) {
    case 'all':
    case 'any':
      if (Array.isArray(raw[head]))
        for (const [index, inner] of (raw[head] as unknown[]).entries())
          checkCondition(inner, [...at, head, index], scope);
      return;
    case 'not':
      checkCondition(raw.not, [...at, 'not'], scope);
      return;
    case 'field':
      checkComparison(raw, at, scope);
      return;
    case 'signal':
      checkSignal(raw.signal, [...at, 'signal'], scope);
      return;
    case 'fact': {
      const decided = typeof raw.fact === 'string' ? FACTS[raw.fact as keyof typeof FACTS] : undefined;
      if (decided !== undefined && !knownAt(decided, scope.step))
        report(
          [...at, 'fact'],
          `"${raw.fact}" is not known yet in ${scope.step} rules (it is decided later)`,
        );
      return;
    }
    case 'leadType':
    case 'temperature':
      if (!knownAt(AVAILABLE_FROM[head], scope.step))
        report([...at, head], `the ${head} is not known yet in ${scope.step} rules (it is decided later)`);
      return;
    default:
      return;
  }
}

function checkSignal(name: unknown, at: readonly PathSegment[], scope: ConditionScope): void {
  if (typeof name !== 'string') return;
  if (!knownAt(AVAILABLE_FROM.signal, scope.step)) {
    scope.report(at, 'a signal cannot refer to another signal');
    return;
  }
  if (scope.signals.has(name)) return;
  const best = scope.closestSignal(name);
  scope.report(at, `unknown signal${best === undefined ? '' : ` (did you mean "${best}"?)`}`, {
    withFound: true,
  });
}

function checkComparison(raw: Raw, at: readonly PathSegment[], scope: ConditionScope): void {
  const { report } = scope;
  const ops = OPERATORS.filter((op) => op in raw);
  const range = ops.length === 2 && ops.includes('gte') && ops.includes('lte');
  if (ops.length === 0) report(at, `a comparison needs one of ${OPERATORS.join(', ')}`);
  else if (ops.length > 1 && !range)
    report(at, `a comparison has one operator (gte with lte for a range); found ${ops.join(' and ')}`);
  if (range && typeof raw.gte === 'number' && typeof raw.lte === 'number' && raw.gte > raw.lte)
    report(at, `never matches: gte ${raw.gte} is above lte ${raw.lte}`);
  if (typeof raw.matches === 'string') {
    const problem = patternProblem(raw.matches);
    if (problem !== undefined) report([...at, 'matches'], problem);
  }

  const paths: [unknown, PathSegment[]][] =
    typeof raw.field === 'string' ? [[raw.field, [...at, 'field']]] : [];
  if (Array.isArray(raw.field))
    for (const [index, path] of raw.field.entries()) paths.push([path, [...at, 'field', index]]);
  for (const [path, where] of paths) {
    if (typeof path !== 'string') continue;
    const type = pathType(path);
    if (type === undefined) {
      report(where, `unknown field${suggestPath(path)}`, { withFound: true });
      continue;
    }
    for (const op of ops) {
      const problem = operatorProblem(op, raw[op], type);
      if (problem === undefined) continue;
      const typed = problem.startsWith('expected');
      const message = typed
        ? `${problem} (${path} holds ${describe(type)})`
        : `${problem}; ${path} holds ${describe(type)}`;
      report([...at, op], message, { withFound: typed });
    }
  }
}

function operatorProblem(op: string, value: unknown, type: PathType): string | undefined {
  if (type === 'custom' || op === 'exists') return undefined;
  if ((op === 'gte' || op === 'lte') && !NUMERIC.has(type)) return `"${op}" needs a number field`;
  if (op === 'withinDays' && !DATES.has(type)) return '"withinDays" needs a date field';
  if (op === 'matches' && !TEXT.has(type)) return '"matches" needs a text field';
  if (op !== 'eq' && op !== 'in') return undefined;
  if (type === 'link' || type === 'linkList') return `"${op}" cannot compare a link; use exists`;
  const values = op === 'in' && Array.isArray(value) ? value : [value];
  const expected = type === 'boolean' ? 'boolean' : NUMERIC.has(type) ? 'number' : undefined;
  if (expected !== undefined && values.some((v) => typeof v !== expected))
    return `expected ${expected === 'boolean' ? 'true or false' : 'a number'}`;
  return undefined;
}

function describe(type: PathType): string {
  if (type === 'integer' || type === 'number') return 'a number';
  if (type === 'date' || type === 'datetime') return 'a date';
  if (type === 'boolean') return 'true or false';
  if (type === 'link' || type === 'linkList') return 'a link';
  return 'text';
}
