import type { Classification, ConversionDecision, TraceEntry } from './classification.ts';
import { readyReason } from './conversion.ts';
import { acceptedBecause, because, describeValue, type RawValues, scoreAgainst } from './explain-because.ts';

/** Where the classified person stood and which policy decided, for the header of an explanation. */
export interface ExplainContext {
  /** The person's lifecycle stage before classification. */
  readonly previousStage: string | null | undefined;
  /** The policy file used. */
  readonly policyFile: string;
  /** The raw CRM value behind each unified field, when the record came from a CRM. */
  readonly raw?: RawValues | undefined;
  /** Print every rule evaluated after the verdict (`--trace`). */
  readonly trace?: boolean | undefined;
  /**
   * What a conversion would really do for this record, line by line, when the caller knows the record type (a
   * Salesforce Contact is already converted); absent: both systems' steps as the policy gives them.
   */
  readonly conversion?: readonly string[] | undefined;
}

const NO_RAW: RawValues = new Map();
const INTERNAL = new Set(['fit', 'bant', 'facts', 'stage', 'conversion', 'conversion.rep', 'score.decay']);

/**
 * A classification as text an admin reads top to bottom: first a sentence saying the stage and why, then one line
 * per verdict with the values and thresholds behind it, the CRM's raw values beside the mapped ones, and the full
 * rule trace only when asked for.
 */
export function explainText(result: Classification, context: ExplainContext): string {
  const raw = context.raw ?? NO_RAW;
  const find = (rule: string | null) =>
    rule === null ? undefined : result.trace.find((entry) => entry.rule === rule);
  const rows: [string, string][] = [
    ['lead type', leadTypeLine(result, find(result.reasons.leadTypeRule), raw)],
    ['temperature', temperatureLine(result, find(result.reasons.bant.raisedBy), raw)],
    ['score', scoreLine(result)],
    ['fit', fitLine(result)],
    ['interest', result.interest.length > 0 ? result.interest.join(', ') : 'none'],
    ['sales-ready', salesReadyLine(result, find('salesReady'), raw)],
    ...conversionRows(result.convert, context.conversion, find, result, raw),
    ...valueRows(result.trace, raw),
    ['policy', `${context.policyFile} (version ${result.policyVersion})`],
  ];
  const lines = [headline(result, context, find(result.reasons.stageRule), raw), ''];
  lines.push(...rows.map(([label, value]) => `${label.padEnd(12)} ${value}`.trimEnd()));
  if (context.trace === true && result.trace.length > 0) lines.push('', 'trace', ...traceLines(result.trace));
  else lines.push('', 'every rule with the values it saw: --trace');
  return lines.join('\n');
}

/** `stage sql (was lead) because sales-ready (fit: 5 of 5, action: demoRequest), leadStatus "working" (…)`. */
function headline(
  result: Classification,
  context: ExplainContext,
  rule: TraceEntry | undefined,
  raw: RawValues,
): string {
  const previous = context.previousStage;
  const was =
    previous === undefined || previous === null || previous === result.stage ? '' : ` (was ${previous})`;
  const { stageNote, notLead } = result.reasons;
  const derived = rule?.rule.split(' ').at(-1);
  let why: string;
  if (stageNote === "the conversion's target") why = "the conversion's target";
  else if (rule === undefined)
    why = `no rule matched (${result.interest.length > 0 ? 'interest' : 'no interest'}, fit: ${result.fit ? 'yes' : 'no'})${stageNote.includes('stays') ? '; it stays' : ''}`;
  else if (derived !== result.stage)
    why = `${stageNote} (the rules say ${derived}: ${because(rule, result, raw)})`;
  else why = because(rule, result, raw);
  let note = notLead !== null && rule === undefined ? `; never a lead (${notLead})` : '';
  if (result.salesReady && !result.convert.required && result.convert.reason.startsWith('sales-ready, but'))
    note = '; sales-ready, not converted yet (see convert)';
  if (!result.convert.required && result.convert.proposed === true)
    note = '; proposed for conversion, waiting for a rep (see convert)';
  return `stage ${result.stage}${was} because ${why}${note}`;
}

function salesReadyLine(result: Classification, rule: TraceEntry | undefined, raw: RawValues): string {
  const threshold = result.reasons.thresholds.salesReady;
  if (result.salesReady && result.score >= threshold)
    return `yes because ${scoreAgainst(result.score, threshold)}`;
  return `${result.salesReady ? 'yes' : 'no'} because ${because(rule, result, raw)}`;
}

function leadTypeLine(result: Classification, rule: TraceEntry | undefined, raw: RawValues): string {
  if (result.leadType === null)
    return result.reasons.notLead === null
      ? 'none: no lead-type rule matched'
      : `none: never a lead (${result.reasons.notLead})`;
  return `${result.leadType} because ${because(rule, result, raw)}`;
}

function temperatureLine(result: Classification, raise: TraceEntry | undefined, raw: RawValues): string {
  const { met, temperature, hot, warm } = result.reasons.bant;
  const bar =
    temperature === 'hot'
      ? `≥ ${hot} for hot`
      : temperature === 'warm'
        ? `≥ ${warm} for warm`
        : `< ${warm} for warm`;
  const bant = `BANT ${met.length} of 4${met.length > 0 ? ` (${met.join(', ')})` : ''} ${bar}`;
  if (raise === undefined) return `${result.temperature} because ${bant}`;
  return `${result.temperature} because ${bant}, raised by engagement: ${because(raise, result, raw)}`;
}

function scoreLine(result: Classification): string {
  const { thresholds } = result.reasons;
  const parts = [`sales-ready ${scoreAgainst(result.score, thresholds.salesReady).replace('score ', '')}`];
  if (thresholds.engaged !== null)
    parts.push(`engaged ${scoreAgainst(result.score, thresholds.engaged).replace('score ', '')}`);
  if (thresholds.mql !== null)
    parts.push(`mql ${scoreAgainst(result.score, thresholds.mql).replace('score ', '')}`);
  return `${result.score} (${parts.join(', ')})`;
}

function fitLine(result: Classification): string {
  const { matched, of, required } = result.reasons.fit;
  const held = matched.length > 0 ? `: ${matched.join(', ')}` : '';
  const missing = result.trace
    .filter((entry) => entry.rule.startsWith('fit.') && !entry.matched)
    .map((entry) => entry.rule.slice('fit.'.length));
  const lacking = missing.length > 0 ? `; not ${missing.join(', ')}` : '';
  return `${result.fit ? 'yes' : 'no'}: ${matched.length} of ${of}, requires ${required}${held}${lacking}`;
}

function conversionRows(
  convert: ConversionDecision,
  lines: readonly string[] | undefined,
  find: (rule: string) => TraceEntry | undefined,
  result: Classification,
  raw: RawValues,
): [string, string][] {
  // A sales-ready person the condition still holds back: say what it looked at.
  const when = find('conversion.when');
  const held = !convert.required && convert.reason.startsWith('sales-ready, but') && when !== undefined;
  const reason = held ? `${convert.reason}: ${because(when, result, raw)}` : convert.reason;
  const more = (line: string): [string, string] => ['', line];
  if (!convert.required && convert.proposed === true)
    return [...proposedRows(convert, find, result, raw), ...(lines ?? []).map(more)];
  const accepted =
    result.proposal === 'accepted' ? `; accepted by a rep: ${acceptedBecause(result, raw)}` : '';
  const head: [string, string] = [
    'convert',
    convert.required ? `yes, will convert: ${reason}${accepted}` : `no: ${reason}`,
  ];
  if (lines !== undefined) return [head, ...lines.map(more)];
  if (!convert.required) return [head];
  const { salesforce: sf, hubspot: hs } = convert;
  const sfSteps = [
    `status "${sf.convertedStatus}"`,
    sf.createOpportunity ? 'create an opportunity' : 'no opportunity',
    sf.attachToMatchedAccount ? 'attach to the matched account' : 'new account',
  ];
  const hsSteps = [
    `lifecycle stage ${hs.lifecycleStage}`,
    hs.createDeal ? `create a deal (pipeline ${hs.pipeline}, stage ${hs.dealStage})` : 'no deal',
  ];
  return [head, ['', `salesforce Lead: ${sfSteps.join(', ')}`], ['', `hubspot: ${hsSteps.join(', ')}`]];
}

/** A person waiting for a rep: why ready, what acceptance looks like and how a rep gives it. */
function proposedRows(
  convert: ConversionDecision,
  find: (rule: string) => TraceEntry | undefined,
  result: Classification,
  raw: RawValues,
): [string, string][] {
  const rows: [string, string][] = [['convert', `proposed, waiting for a rep: ${readyReason(convert)}`]];
  const inCrm = find('conversion.accepted');
  if (inCrm !== undefined) rows.push(['', `not accepted in the CRM yet: ${because(inCrm, result, raw)}`]);
  rows.push(['', 'a rep accepts it in the CRM, or with crm-bridge conversions accept <unified id | e-mail>']);
  return rows;
}

/** Every field the rules read that holds a value, once, with the CRM's raw value beside it. */
function valueRows(trace: readonly TraceEntry[], raw: RawValues): [string, string][] {
  const values = new Map<string, unknown>();
  for (const entry of trace) {
    if (INTERNAL.has(entry.rule) || entry.rule.startsWith('stage.allowBackward')) continue;
    for (const [key, value] of Object.entries(entry.saw)) {
      if (key.includes(':') || key === 'leadType' || key === 'temperature') continue;
      if (value !== null && value !== undefined && !values.has(key)) values.set(key, value);
    }
  }
  return [...values].map(([path, value], index) => [
    index === 0 ? 'values' : '',
    describeValue(path, value, raw),
  ]);
}

function traceLines(trace: readonly TraceEntry[]): string[] {
  const width = Math.min(40, Math.max(...trace.map((entry) => entry.rule.length)));
  return trace.map((entry) => {
    const saw = Object.entries(entry.saw)
      .map(([key, value]) => `${key}=${JSON.stringify(value) ?? 'null'}`)
      .join(' ');
    const note = entry.note === undefined ? '' : `→ ${entry.note}`;
    const detail = [saw, note].filter((part) => part !== '').join('  ');
    return `  ${entry.matched ? '✓' : '✗'} ${entry.rule.padEnd(width)}  ${detail}`.trimEnd();
  });
}
