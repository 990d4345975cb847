import type { TraceEntry } from './classification.ts';
import type { CompiledPolicy } from './compile.ts';
import { timeOf } from './instant.ts';
import type { Seen, Subject } from './subject.ts';

const DAY = 86_400_000;

/** Fit points plus engagement points, the latter halved per `halfLifeDays` of inactivity. */
export function scorePerson(
  subject: Subject,
  policy: CompiledPolicy,
  trace: TraceEntry[] | undefined,
): number {
  let fit = 0;
  let engagement = 0;
  for (const rule of policy.score.rules) {
    const seen: Seen | undefined = trace === undefined ? undefined : {};
    const matched = rule.test === undefined || rule.test(subject, seen);
    let points = 0;
    if (matched) {
      if (rule.per === undefined) points = rule.points;
      else {
        const raw = rule.per.get(subject.person, subject.account);
        if (seen !== undefined) seen[rule.per.path] = raw ?? null;
        const units = typeof raw === 'number' ? raw : Number(raw ?? 0);
        points = Number.isFinite(units) ? Math.min(rule.max, rule.points * units) : 0;
      }
    }
    if (rule.kind === 'fit') fit += points;
    else engagement += points;
    trace?.push({
      rule: rule.label,
      matched: matched && points !== 0,
      saw: seen ?? {},
      note: `${points >= 0 ? '+' : ''}${round(points)} ${rule.kind}`,
    });
  }
  const halfLife = policy.score.halfLifeDays;
  const last = subject.person.lastActivityAt;
  if (halfLife !== undefined && engagement > 0 && typeof last === 'string') {
    const days = Math.max(0, (subject.now - timeOf(last)) / DAY);
    if (Number.isFinite(days)) {
      const factor = 0.5 ** (days / halfLife);
      trace?.push({
        rule: 'score.decay',
        matched: factor < 1,
        saw: { lastActivityAt: last },
        note: `engagement ×${factor.toFixed(2)} after ${Math.floor(days)} days`,
      });
      engagement *= factor;
    }
  }
  return Math.max(0, Math.round(fit + engagement));
}

function round(points: number): number {
  return Math.round(points * 100) / 100;
}
