import type { Account, Opportunity, Person } from '../model/index.ts';
import type { Classification, RepDecision, TraceEntry } from './classification.ts';
import type { CompiledPolicy, NamedTest } from './compile.ts';
import { decideAcceptance, decideConversion, proposalOf } from './conversion.ts';
import { scorePerson } from './score.ts';
import { resolveStage } from './stage.ts';
import type { Seen, Subject } from './subject.ts';
import { TEMPERATURES, type Temperature } from './vocabulary.ts';

/** What a classification needs besides the record. */
export interface ClassifyOptions {
  /** The moment "within N days" and score decay are measured from. Never read from the clock, so results repeat. */
  readonly now: Date | number;
  /** Leave out the trace (default: include it); the sync engine needs only the verdict. */
  readonly trace?: boolean;
  /** A rep's decision on this person's conversion recorded from the CLI (`crm-bridge conversions`), if any. */
  readonly decision?: RepDecision | undefined;
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

  let notLead: string | null = null;
  for (const rule of policy.notLeads) if (run(rule.label, rule.test) && notLead === null) notLead = rule.name;
  subject.facts.notLead = notLead !== null;

  // A partner's or an employee's actions are not interest: they stay contacts in the broad sense (DEFINITIONS 000).
  const interest: string[] = [];
  const salesActions: string[] = [];
  for (const [index, signal] of policy.signals.entries()) {
    const matched = run(signal.label, signal.test) && notLead === null;
    subject.signals[index] = matched;
    if (!matched) continue;
    interest.push(signal.name);
    if (signal.sales) salesActions.push(signal.name);
  }
  subject.facts.interest = interest.length > 0;
  subject.facts.salesAction = salesActions.length > 0;

  const fitting: string[] = [];
  for (const criterion of policy.fit.criteria)
    if (run(criterion.label, criterion.test)) fitting.push(criterion.name);
  const fit = fitting.length >= policy.fit.require;
  subject.facts.fit = fit;
  trace?.push({ rule: 'fit', matched: fit, saw: { matched: fitting.length, required: policy.fit.require } });

  const met: string[] = [];
  for (const criterion of policy.bant.criteria)
    if (run(criterion.label, criterion.test)) met.push(criterion.name);
  const bantTemperature = temperatureOf(met.length, policy);
  subject.temperature = bantTemperature;
  trace?.push({ rule: 'bant', matched: met.length > 0, saw: { met: met.length }, note: bantTemperature });

  const score = scorePerson(subject, policy, trace);
  subject.facts.engagedScore = score >= policy.score.engaged;
  subject.facts.mqlScore = score >= policy.score.mql;
  subject.facts.salesReadyScore = score >= policy.score.salesReady;
  let raisedBy: string | null = null;
  for (const rule of policy.bant.raise) {
    if (TEMPERATURES.indexOf(rule.to) >= TEMPERATURES.indexOf(subject.temperature)) continue;
    if (run(rule.label, rule.test)) {
      subject.temperature = rule.to;
      raisedBy = rule.label;
      break;
    }
  }

  let leadTypeRule: string | null = null;
  for (const rule of policy.leadType) {
    if (run(rule.label, rule.test)) {
      subject.leadType = rule.type;
      leadTypeRule = rule.label;
      break;
    }
  }
  const salesReady = run('salesReady', policy.salesReady);
  subject.facts.salesReady = salesReady;
  subject.facts.accepted = decideAcceptance(subject, policy, options.decision, trace);

  let derived: { stage: string; label: string } | undefined;
  for (const rule of policy.stage.rules) {
    if (run(rule.label, rule.test)) {
      derived = rule;
      break;
    }
  }
  const resolved = resolveStage(person.lifecycleStage, derived?.stage, subject, policy, trace);
  let { stage, why } = resolved;
  const convert = decideConversion(
    subject,
    person.lifecycleStage,
    stage,
    score,
    policy,
    options.decision,
    trace,
  );
  // A conversion advances HubSpot to its target stage; the stage written to both CRMs must agree with it.
  const { rank } = policy.stage;
  if (convert.required && (rank.get(stage) ?? 0) < (rank.get(convert.hubspot.lifecycleStage) ?? 0)) {
    why = "the conversion's target";
    trace?.push({
      rule: 'stage',
      matched: true,
      saw: { stage },
      note: `${convert.hubspot.lifecycleStage} (${why})`,
    });
    stage = convert.hubspot.lifecycleStage;
  }
  const thresholds = policy.definition.score.thresholds;

  return {
    stage,
    leadType: subject.leadType,
    temperature: subject.temperature,
    score,
    fit,
    interest,
    salesReady,
    convert,
    proposal: proposalOf(convert, subject, policy),
    reasons: {
      notLead,
      fit: { matched: fitting, of: policy.fit.criteria.length, required: policy.fit.require },
      bant: {
        met,
        temperature: bantTemperature,
        hot: policy.bant.hot,
        warm: policy.bant.warm,
        raisedBy,
      },
      salesActions,
      thresholds: {
        engaged: thresholds.engaged ?? null,
        mql: thresholds.mql ?? null,
        salesReady: thresholds.salesReady,
      },
      leadTypeRule,
      stageRule: derived?.label ?? null,
      stageNote: why,
    },
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
    signals: policy.signals.map(() => false),
    facts: {
      openOpportunity: open > 0,
      closedWon: won > 0,
      converted,
      notLead: false,
      interest: false,
      salesAction: false,
      fit: false,
      engagedScore: false,
      mqlScore: false,
      salesReadyScore: false,
      salesReady: false,
      accepted: false,
    },
    leadType: null,
    temperature: 'cold',
  };
}

function temperatureOf(met: number, policy: CompiledPolicy): Temperature {
  if (met >= policy.bant.hot) return 'hot';
  return met >= policy.bant.warm ? 'warm' : 'cold';
}
