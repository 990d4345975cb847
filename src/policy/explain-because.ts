import type { Classification, TraceEntry } from './classification.ts';

/** A raw CRM value behind a unified field path: the external field's name and what the CRM holds there. */
export interface RawValue {
  readonly field: string;
  readonly value: unknown;
}

/** Unified field path (`leadSource`, `account.employees`) → the raw value it was read from. */
export type RawValues = ReadonlyMap<string, RawValue>;

const quote = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

/** `leadSource "offline" (LeadSource "Other")`: a unified value, and the CRM's own value when one was read. */
export function describeValue(path: string, value: unknown, raw: RawValues): string {
  const shown = value === undefined || value === null ? 'none' : quote(value);
  const source = raw.get(path);
  if (source === undefined || source.value === undefined) return `${path} ${shown}`;
  if (source.value !== null && String(source.value) === String(value))
    return `${path} ${shown} (${source.field})`;
  return `${path} ${shown} (${source.field} ${source.value === null ? 'empty' : quote(source.value)})`;
}

/** `score 55 < 75` or `score 80 ≥ 75`. */
export function scoreAgainst(score: number, threshold: number | null): string {
  if (threshold === null) return `score ${score} (no threshold set)`;
  return `score ${score} ${score >= threshold ? '≥' : '<'} ${threshold}`;
}

/** `fit: 4 of 5 (requires 5)`, or `fit: 5 of 5` when it fits. */
export function fitSummary(result: Classification): string {
  const { matched, of, required } = result.reasons.fit;
  return `fit: ${matched.length} of ${of}${matched.length >= required ? '' : ` (requires ${required})`}`;
}

/**
 * The sales actions a person took, each with the value that showed it (`demoRequest "Request a demo"`): a signal's
 * comparison stops at the first field that matches, so the last value its trace entry saw is that one.
 */
function actions(result: Classification): string {
  const shown = result.reasons.salesActions.map((name) => {
    const saw = Object.values(result.trace.find((entry) => entry.rule === `signals.${name}`)?.saw ?? {});
    const value = saw.at(-1);
    return typeof value === 'string' ? `${name} ${quote(value)}` : name;
  });
  return shown.length === 0 ? 'no sales action' : `action: ${shown.join(', ')}`;
}

/** Why a person is (or is not) sales-ready, in the policy's own terms: fit and action, or the score threshold. */
export function salesReadyBecause(result: Classification): string {
  const { thresholds } = result.reasons;
  const score = scoreAgainst(result.score, thresholds.salesReady);
  if (result.salesReady && result.score >= thresholds.salesReady) return score;
  if (result.salesReady) return `${fitSummary(result)}, ${actions(result)}`;
  return `${fitSummary(result)}, ${actions(result)}; ${score}`;
}

/** What a rep's acceptance rests on: the CRM values `conversion.accepted` saw, or the decision from the CLI. */
export function acceptedBecause(result: Classification, raw: RawValues): string {
  const entries = ['conversion.rep', 'conversion.accepted']
    .map((rule) => result.trace.find((entry) => entry.rule === rule))
    .filter((entry) => entry?.matched === true);
  return entries.map((entry) => because(entry, result, raw)).join(', ');
}

/** One value a rule looked at, as a reader would say it. */
function describeSeen(key: string, value: unknown, result: Classification, raw: RawValues): string {
  const { thresholds } = result.reasons;
  switch (key) {
    case 'fact:salesReady':
      return value === true
        ? `sales-ready (${salesReadyBecause(result)})`
        : `not sales-ready (${salesReadyBecause(result)})`;
    case 'fact:fit':
      return fitSummary(result);
    case 'fact:interest':
      return value === true ? `interest (${result.interest.join(', ')})` : 'no interest';
    case 'fact:salesAction':
      return actions(result);
    case 'fact:salesReadyScore':
      return scoreAgainst(result.score, thresholds.salesReady);
    case 'fact:engagedScore':
      return scoreAgainst(result.score, thresholds.engaged);
    case 'fact:mqlScore':
      return scoreAgainst(result.score, thresholds.mql);
    case 'fact:openOpportunity':
      return value === true ? 'an open opportunity' : 'no open opportunity';
    case 'fact:closedWon':
      return value === true ? 'a won opportunity' : 'no won opportunity';
    case 'fact:converted':
      return value === true ? 'converted in Salesforce' : 'not converted in Salesforce';
    case 'fact:accepted':
      return value === true
        ? `accepted by a rep (${acceptedBecause(result, raw)})`
        : 'not accepted by a rep yet';
    case 'rep':
      return value === 'accepted'
        ? 'a rep accepted it (crm-bridge conversions accept)'
        : 'a rep declined it (crm-bridge conversions reject)';
    case 'fact:notLead':
      return value === true ? `never a lead (${result.reasons.notLead})` : 'may be a lead';
    case 'leadType':
      return `lead type ${value ?? 'none'}`;
    case 'temperature':
      return `temperature ${String(value)}`;
    default:
      if (key.startsWith('signal:')) return `${value === true ? '' : 'no '}${key.slice('signal:'.length)}`;
      return describeValue(key, value, raw);
  }
}

/**
 * The values behind a rule's verdict, as a clause: for a rule that matched, what made it match (facts and signals
 * that held, and every field it compared); for one that did not, everything it looked at.
 */
export function because(entry: TraceEntry | undefined, result: Classification, raw: RawValues): string {
  if (entry === undefined) return '';
  const parts = Object.entries(entry.saw)
    .filter(([key, value]) => {
      if (!entry.matched) return true;
      const reference = key.startsWith('fact:') || key.startsWith('signal:');
      return !reference || value === true;
    })
    .map(([key, value]) => describeSeen(key, value, result, raw));
  return [...new Set(parts)].join(', ');
}
