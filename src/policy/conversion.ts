import type { ConversionDecision, ConversionProposal, RepDecision, TraceEntry } from './classification.ts';
import type { CompiledPolicy } from './compile.ts';
import type { Seen, Subject } from './subject.ts';

/** What a proposed person's reason ends with: the words saying it waits for a rep. */
const WAITING = '; proposed, waiting for a rep to accept it';

/** Why a person is ready to convert: the decision's reason without the words saying it waits for a rep. */
export function readyReason(convert: ConversionDecision): string {
  return convert.reason.endsWith(WAITING) ? convert.reason.slice(0, -WAITING.length) : convert.reason;
}

/** The trace key of a rep's decision recorded from the CLI, which `because` says in words. */
export const REP_DECISION = 'rep';

/**
 * Whether a rep accepted the person's conversion: `conversion.accepted` holds in the CRM (a Lead Status a rep set),
 * or a rep accepted it from the CLI. A rejection from the CLI only stops the proposal: a rep who later accepts the
 * person in the CRM still has the last word.
 */
export function decideAcceptance(
  subject: Subject,
  policy: CompiledPolicy,
  decision: RepDecision | undefined,
  trace: TraceEntry[] | undefined,
): boolean {
  const { accepted } = policy.conversion;
  let inCrm = false;
  if (accepted !== undefined) {
    const seen: Seen | undefined = trace === undefined ? undefined : {};
    inCrm = accepted(subject, seen);
    trace?.push({ rule: 'conversion.accepted', matched: inCrm, saw: seen ?? {} });
  }
  if (decision !== undefined)
    trace?.push({
      rule: 'conversion.rep',
      matched: decision === 'accepted',
      saw: { [REP_DECISION]: decision },
    });
  return inCrm || decision === 'accepted';
}

/**
 * Whether the person must be converted. A person already past the conversion target, a customer, or a lead
 * Salesforce already converted is never converted again, whatever the policy's condition says: a second
 * conversion would duplicate the contact, the account or the deal. With approval by a rep, a person ready to
 * convert whom no rep accepted yet is proposed instead.
 */
export function decideConversion(
  subject: Subject,
  previous: string | null | undefined,
  stage: string,
  score: number,
  policy: CompiledPolicy,
  decision: RepDecision | undefined,
  trace: TraceEntry[] | undefined,
): ConversionDecision {
  const { rank } = policy.stage;
  const { salesforce, hubspot } = policy.conversion;
  const seen: Seen | undefined = trace === undefined ? undefined : {};
  const matched = policy.conversion.test(subject, seen);
  trace?.push({ rule: 'conversion.when', matched, saw: seen ?? {} });
  const no = (reason: string, proposed = false): ConversionDecision => {
    trace?.push({ rule: 'conversion', matched: false, saw: {}, note: reason });
    return proposed ? { required: false, reason, proposed } : { required: false, reason };
  };
  if (subject.facts.closedWon) return no('already a customer (a won opportunity)');
  if (subject.facts.converted) return no('already converted in Salesforce');
  const target = rank.get(hubspot.lifecycleStage) ?? 0;
  const before = typeof previous === 'string' ? rank.get(previous) : undefined;
  if (before !== undefined && before > target)
    return no(`already past ${hubspot.lifecycleStage} (at ${previous})`);
  if (!rank.has(stage)) return no(`${stage} is outside the funnel`);
  if (!matched)
    return no(
      subject.facts.salesReady
        ? 'sales-ready, but conversion.when did not match'
        : 'conversion.when did not match (not sales-ready)',
    );
  const reason = reasonOf(subject, score, policy);
  if (policy.conversion.approval === 'rep' && !subject.facts.accepted) {
    if (decision === 'rejected')
      return no(`${reason}, but a rep declined it (crm-bridge conversions reject)`);
    return no(`${reason}${WAITING}`, true);
  }
  trace?.push({ rule: 'conversion', matched: true, saw: {}, note: reason });
  return { required: true, reason, salesforce, hubspot };
}

/**
 * The proposal state the CRMs show: proposed while a rep's acceptance is awaited; accepted once a rep accepted a
 * person ready to convert (also after the conversion, so that the mark does not flip back); otherwise none.
 */
export function proposalOf(
  convert: ConversionDecision,
  subject: Subject,
  policy: CompiledPolicy,
): ConversionProposal | null {
  if (policy.conversion.approval !== 'rep') return null;
  if (!convert.required && convert.proposed === true) return 'proposed';
  return subject.facts.accepted && policy.conversion.test(subject, undefined) ? 'accepted' : null;
}

function reasonOf(subject: Subject, score: number, policy: CompiledPolicy): string {
  const parts: string[] = [];
  if (subject.facts.salesReady && subject.facts.fit && subject.facts.salesAction) {
    const actions = policy.signals.filter((s, i) => s.sales && subject.signals[i]).map((s) => s.name);
    parts.push(`fits and took a sales action (${actions.join(', ')})`);
  }
  if (subject.facts.salesReadyScore) parts.push(`score ${score} ≥ ${policy.score.salesReady}`);
  return parts.length > 0 ? `sales-ready: ${parts.join('; ')}` : 'conversion.when matched';
}
