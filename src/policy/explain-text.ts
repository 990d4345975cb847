import type { Classification, ConversionDecision, TraceEntry } from './classification.ts';

/** Where the classified person stood and which policy decided, for the header of an explanation. */
export interface ExplainContext {
  /** The person's lifecycle stage before classification. */
  readonly previousStage: string | null | undefined;
  /** The policy file used. */
  readonly policyFile: string;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** A classification and its trace as text an admin reads top to bottom. */
export function explainText(result: Classification, context: ExplainContext): string {
  const previous = context.previousStage;
  const stage =
    previous === undefined || previous === null || previous === result.stage
      ? result.stage
      : `${result.stage} (was ${previous})`;
  const rows: [string, string][] = [
    ['stage', stage],
    ['lead type', result.leadType ?? '-'],
    ['temperature', result.temperature],
    ['score', String(result.score)],
    ['fit', yesNo(result.fit)],
    ['interest', result.interest.length > 0 ? result.interest.join(', ') : '-'],
    ['sales-ready', yesNo(result.salesReady)],
    ...conversionRows(result.convert),
    ['policy', `${context.policyFile} (version ${result.policyVersion})`],
  ];
  const lines = rows.map(([label, value]) => `${label.padEnd(12)} ${value}`);
  if (result.trace.length > 0) lines.push('', 'trace', ...traceLines(result.trace));
  return lines.join('\n');
}

function conversionRows(convert: ConversionDecision): [string, string][] {
  if (!convert.required) return [['convert', `no: ${convert.reason}`]];
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
  return [
    ['convert', `yes: ${convert.reason}`],
    ['', `salesforce: ${sfSteps.join(', ')}`],
    ['', `hubspot: ${hsSteps.join(', ')}`],
  ];
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
