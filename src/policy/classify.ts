import type { Account, Opportunity, Person } from '../model/index.ts';
import type { Classification, TraceEntry } from './classification.ts';
import type { CompiledPolicy, NamedTest } from './compile.ts';
import { decideConversion } from './conversion.ts';
import { scorePerson } from './score.ts';
import { resolveStage } from './stage.ts';
import type { Seen, Subject } from './subject.ts';
import type { LeadType, Temperature } from './vocabulary.ts';

/** What a classification needs besides the record. */
export interface ClassifyOptions {
  /** The moment "within N days" and score decay are measured from. Never read from the clock, so results repeat. */
  readonly now: Date | number;
  /** Leave out the trace (default: include it); the sync engine needs only the verdict. */
  readonly trace?: boolean;
}

/**
 * Applies the policy to one person, with the person's account and opportunities as facts. Pure: the same input and
 * `now` always give the same classification. The steps run in the order of STEPS, each reading only what earlier
 * steps decided.
 */
export function classify(
  person: Person,
  account: Account | undefined,
  opportunities: readonly Opportunity[],
  policy: CompiledPolicy,
  options: ClassifyOptions,
): Classification {
  const trace: TraceEntry[] | undefined = options.trace === false ? undefined : [];
  const subject = newSubject(person, account, opportunities, policy, options.now, trace);
  const run = (rule: string, test: NamedTest['test']): boolean => {
    const seen: Seen | undefined = trace === undefined ? undefined : {};
    const matched = test(subject, seen);
    trace?.push({ rule, matched, saw: seen ?? {} });
    return matched;
  };

  const interest: string[] = [];
  for (const [index, signal] of policy.signals.entries()) {
    const matched = run(signal.label, signal.test);
    subject.signals[index] = matched;
    if (matched) interest.push(signal.name);
    if (matched && signal.sales) subject.facts.salesAction = true;
  }
  subject.facts.interest = interest.length > 0;

  let fitting = 0;
  for (const criterion of policy.fit.criteria) if (run(criterion.label, criterion.test)) fitting++;
  const fit = fitting >= policy.fit.require;
  subject.facts.fit = fit;
  trace?.push({ rule: 'fit', matched: fit, saw: { matched: fitting, required: policy.fit.require } });

  let met = 0;
  for (const criterion of policy.bant.criteria) if (run(criterion.label, criterion.test)) met++;
  subject.temperature = temperatureOf(met, policy);
  trace?.push({ rule: 'bant', matched: met > 0, saw: { met }, note: subject.temperature });

  const score = scorePerson(subject, policy, trace);
  subject.facts.mqlScore = score >= policy.score.mql;
  subject.facts.salesReadyScore = score >= policy.score.salesReady;

  subject.leadType = firstLeadType(policy, run);
  const salesReady = run('salesReady', policy.salesReady);
  subject.facts.salesReady = salesReady;

  let derived: string | undefined;
  for (const rule of policy.stage.rules) {
    if (run(rule.label, rule.test)) {
      derived = rule.stage;
      break;
    }
  }
  let stage = resolveStage(person.lifecycleStage, derived, subject, policy, trace);
  const convert = decideConversion(subject, person.lifecycleStage, stage, score, policy, trace);
  // A conversion advances HubSpot to its target stage; the stage written to both CRMs must agree with it.
  const { rank } = policy.stage;
  if (convert.required && (rank.get(stage) ?? 0) < (rank.get(convert.hubspot.lifecycleStage) ?? 0)) {
    trace?.push({
      rule: 'stage',
      matched: true,
      saw: { stage },
      note: `${convert.hubspot.lifecycleStage} (the conversion's target)`,
    });
    stage = convert.hubspot.lifecycleStage;
  }

  return {
    stage,
    leadType: subject.leadType,
    temperature: subject.temperature,
    score,
    fit,
    interest,
    salesReady,
    convert,
    policyVersion: policy.version,
    trace: trace ?? [],
  };
}

function newSubject(
  person: Person,
  account: Account | undefined,
  opportunities: readonly Opportunity[],
  policy: CompiledPolicy,
  now: Date | number,
  trace: TraceEntry[] | undefined,
): Subject {
  let open = 0;
  let won = 0;
  for (const opportunity of opportunities) {
    if (opportunity.deleted) continue;
    const stage = opportunity.stage ?? '';
    if (opportunity.isWon === true || policy.opportunities.won.has(stage)) won++;
    else if (opportunity.isClosed !== true && !policy.opportunities.lost.has(stage)) open++;
  }
  const converted = person.converted !== undefined && person.converted !== null;
  trace?.push({
    rule: 'facts',
    matched: true,
    saw: { openOpportunities: open, wonOpportunities: won, converted },
  });
  return {
    person,
    account,
    now: typeof now === 'number' ? now : now.getTime(),
    signals: new Array<boolean>(policy.signals.length).fill(false),
    facts: {
      openOpportunity: open > 0,
      closedWon: won > 0,
      converted,
      interest: false,
      salesAction: false,
      fit: false,
      mqlScore: false,
      salesReadyScore: false,
      salesReady: false,
    },
    leadType: null,
    temperature: 'cold',
  };
}

function temperatureOf(met: number, policy: CompiledPolicy): Temperature {
  if (met >= policy.bant.hot) return 'hot';
  return met >= policy.bant.warm ? 'warm' : 'cold';
}

function firstLeadType(policy: CompiledPolicy, run: (rule: string, test: NamedTest['test']) => boolean) {
  for (const rule of policy.leadType) if (run(rule.label, rule.test)) return rule.type;
  return null as LeadType | null;
}
