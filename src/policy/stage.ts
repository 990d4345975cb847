import type { TraceEntry } from './classification.ts';
import type { CompiledPolicy } from './compile.ts';
import type { Seen, Subject } from './subject.ts';

/** The stage a person ends in, given where they are and where the rules place them, and why. */
export function resolveStage(
  current: string | null | undefined,
  derived: string | undefined,
  subject: Subject,
  policy: CompiledPolicy,
  trace: TraceEntry[] | undefined,
): { readonly stage: string; readonly why: string } {
  const { rank, known, allowBackward } = policy.stage;
  const from = typeof current === 'string' && known.has(current) ? current : undefined;
  const decide = (stage: string, why: string) => {
    trace?.push({
      rule: 'stage',
      matched: stage === derived,
      saw: { current: current ?? null, derived: derived ?? null },
      note: `${stage} (${why})`,
    });
    return { stage, why };
  };
  if (derived === undefined)
    return from === undefined
      ? decide(policy.stage.default, 'no rule matched: the default')
      : decide(from, 'no rule matched: stays');
  if (from === undefined) return decide(derived, 'no known stage yet');
  if (from === derived) return decide(derived, 'unchanged');
  const a = rank.get(from);
  const b = rank.get(derived);
  if (a !== undefined && b !== undefined && b > a) return decide(derived, 'forward');
  for (const [index, rule] of allowBackward.entries()) {
    if (!rule.from.has(from) || !rule.to.has(derived)) continue;
    const seen: Seen | undefined = trace === undefined ? undefined : { from, to: derived };
    const matched = rule.test === undefined || rule.test(subject, seen);
    trace?.push({ rule: `stage.allowBackward[${index}] ${rule.name}`, matched, saw: seen ?? {} });
    if (matched) return decide(derived, `moved back, allowed by ${rule.name}`);
  }
  return decide(from, `forward-only: ${from} → ${derived} is not allowed`);
}
