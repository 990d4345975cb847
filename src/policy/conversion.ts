import type { ConversionDecision, TraceEntry } from './classification.ts';
import type { CompiledPolicy } from './compile.ts';
import type { Seen, Subject } from './subject.ts';

/**
 * Whether the person must be converted. A person already past the conversion target, a customer, or a lead
 * Salesforce already converted is never converted again, whatever the policy's condition says: a second
 * conversion would duplicate the contact, the account or the deal.
 */
export function decideConversion(
  subject: Subject,
  previous: string | null | undefined,
  stage: string,
  score: number,
  policy: CompiledPolicy,
  trace: TraceEntry[] | undefined,
): ConversionDecision {
  const { rank } = policy.stage;
  const { salesforce, hubspot } = policy.conversion;
  const seen: Seen | undefined = trace === undefined ? undefined : {};
  const matched = policy.conversion.test(subject, seen);
  trace?.push({ rule: 'conversion.when', matched, saw: seen ?? {} });
  const no = (reason: string): ConversionDecision => {
    trace?.push({ rule: 'conversion', matched: false, saw: {}, note: reason });
    return { required: false, reason };
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
  trace?.push({ rule: 'conversion', matched: true, saw: {}, note: reason });
  return { required: true, reason, salesforce, hubspot };
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
