import { closest } from '../config/suggest.ts';
import type { PathSegment, Report } from '../config/yaml-source.ts';
import { type ConditionScope, checkCondition } from './condition-check.ts';
import { pathType, suggestPath } from './field-path.ts';
import { checkStages } from './stage-check.ts';
import type { Step } from './vocabulary.ts';

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const items = (value: unknown): [number, unknown][] => (Array.isArray(value) ? [...value.entries()] : []);

/** Cross-reference and consistency checks of a policy file, run over the raw data beside the schema. */
export function checkPolicy(raw: unknown, report: Report): void {
  if (!isRecord(raw)) return;
  const signals = new Set(isRecord(raw.signals) ? Object.keys(raw.signals) : []);
  const scope = (step: Step): ConditionScope => ({
    step,
    signals,
    report,
    closestSignal: (name) => closest(name, signals),
  });
  const check = (value: unknown, at: PathSegment[], step: Step) => checkCondition(value, at, scope(step));

  if (isRecord(raw.notLeads))
    for (const [name, condition] of Object.entries(raw.notLeads))
      check(condition, ['notLeads', name], 'signals');
  if (isRecord(raw.signals))
    for (const [name, condition] of Object.entries(raw.signals))
      check(condition, ['signals', name], 'signals');
  for (const [index, name] of items(raw.salesActions)) {
    if (typeof name === 'string' && !signals.has(name)) {
      const best = closest(name, signals);
      report(['salesActions', index], `unknown signal${best ? ` (did you mean "${best}"?)` : ''}`, {
        withFound: true,
      });
    }
  }
  if (isRecord(raw.fit)) checkFit(raw.fit, report, check);
  if (isRecord(raw.bant)) {
    if (isRecord(raw.bant.criteria))
      for (const [key, condition] of Object.entries(raw.bant.criteria))
        check(condition, ['bant', 'criteria', key], 'bant');
    for (const [index, rule] of items(raw.bant.raise))
      if (isRecord(rule)) check(rule.when, ['bant', 'raise', index, 'when'], 'leadType');
    const hot = typeof raw.bant.hot === 'number' ? raw.bant.hot : 3;
    const warm = typeof raw.bant.warm === 'number' ? raw.bant.warm : 2;
    if (hot <= warm)
      report(
        ['bant', raw.bant.hot === undefined ? 'warm' : 'hot'],
        `hot (${hot}) must be above warm (${warm})`,
      );
  }
  if (isRecord(raw.score)) checkScore(raw.score, report, check);
  for (const [index, rule] of items(raw.leadType))
    if (isRecord(rule)) check(rule.when, ['leadType', index, 'when'], 'leadType');
  check(raw.salesReady, ['salesReady'], 'salesReady');
  if (isRecord(raw.stage)) {
    checkStages(raw.stage, isRecord(raw.conversion) ? raw.conversion : {}, report);
    for (const [index, rule] of items(raw.stage.rules))
      if (isRecord(rule)) check(rule.when, ['stage', 'rules', index, 'when'], 'stage');
    for (const [index, rule] of items(raw.stage.allowBackward))
      if (isRecord(rule)) check(rule.when, ['stage', 'allowBackward', index, 'when'], 'stage');
  }
  if (isRecord(raw.conversion)) checkConversion(raw.conversion, report, check);
}

type Check = (value: unknown, at: PathSegment[], step: Step) => void;

/**
 * `when` is the sales-ready condition and `accepted` a rep's acceptance in the CRM. `accepted` runs before the
 * stage rules (which may read `fact: accepted`), so it cannot read `salesReady`; and with approval by a rep, a
 * `when` that already requires the acceptance would never propose anyone.
 */
function checkConversion(conversion: Raw, report: Report, check: Check): void {
  check(conversion.when, ['conversion', 'when'], 'stage');
  if (conversion.accepted !== undefined) check(conversion.accepted, ['conversion', 'accepted'], 'salesReady');
  if (conversion.approval === 'automatic') return;
  const at = factAt(conversion.when, 'accepted', ['conversion', 'when']);
  if (at !== undefined)
    report(
      at,
      "with approval: rep, conversion.when is the sales-ready condition alone: a rep's acceptance is conversion.accepted (or crm-bridge conversions accept), and a when that requires it would propose nobody",
    );
}

/** Where a condition tree refers to `fact: <name>`, if it does. */
function factAt(raw: unknown, fact: string, at: PathSegment[]): PathSegment[] | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.fact === fact) return [...at, 'fact'];
  for (const key of ['all', 'any'] as const)
    for (const [index, inner] of items(raw[key])) {
      const found = factAt(inner, fact, [...at, key, index]);
      if (found !== undefined) return found;
    }
  return raw.not === undefined ? undefined : factAt(raw.not, fact, [...at, 'not']);
}

function checkFit(fit: Raw, report: Report, check: Check): void {
  const criteria = isRecord(fit.criteria) ? Object.entries(fit.criteria) : [];
  for (const [name, condition] of criteria) check(condition, ['fit', 'criteria', name], 'fit');
  if (isRecord(fit.criteria) && criteria.length === 0)
    report(['fit', 'criteria'], 'expected at least one criterion');
  if (typeof fit.require === 'number' && fit.require > criteria.length && isRecord(fit.criteria))
    report(['fit', 'require'], `requires ${fit.require} criteria but only ${criteria.length} are defined`);
}

function checkScore(score: Raw, report: Report, check: Check): void {
  const names = new Map<string, number>();
  let reachable = 0;
  let unbounded = false;
  for (const [index, rule] of items(score.rules)) {
    if (!isRecord(rule)) continue;
    const at: PathSegment[] = ['score', 'rules', index];
    if (typeof rule.name === 'string') {
      const first = names.get(rule.name);
      if (first !== undefined)
        report([...at, 'name'], `duplicate rule name "${rule.name}" (already used by rules[${first}])`);
      else names.set(rule.name, index);
    }
    if (rule.when !== undefined) check(rule.when, [...at, 'when'], 'score');
    if (typeof rule.per === 'string') {
      const type = pathType(rule.per);
      if (type === undefined)
        report([...at, 'per'], `unknown field${suggestPath(rule.per)}`, { withFound: true });
      else if (type !== 'integer' && type !== 'number' && type !== 'custom')
        report([...at, 'per'], `"per" needs a number field; ${rule.per} is not one`);
    } else if (rule.max !== undefined) report([...at, 'max'], '"max" only applies to a rule with "per"');
    const points = typeof rule.points === 'number' ? rule.points : 0;
    if (points > 0) {
      if (rule.per === undefined) reachable += points;
      else if (typeof rule.max === 'number') reachable += rule.max;
      else unbounded = true;
    }
  }
  const thresholds = isRecord(score.thresholds) ? score.thresholds : {};
  const { salesReady } = thresholds;
  for (const key of ['engaged', 'mql'] as const) {
    const value = thresholds[key];
    if (typeof value === 'number' && typeof salesReady === 'number' && value >= salesReady)
      report(['score', 'thresholds', key], `${key} (${value}) must be below salesReady (${salesReady})`);
  }
  for (const key of ['engaged', 'mql', 'salesReady'] as const) {
    const value = thresholds[key];
    if (!unbounded && typeof value === 'number' && value > reachable && Array.isArray(score.rules))
      report(
        ['score', 'thresholds', key],
        `${key} (${value}) is unreachable: the rules give at most ${reachable} points`,
      );
  }
}
