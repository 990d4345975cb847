import { compileRule } from './condition-compile.ts';
import type { ConditionSpec } from './condition-schema.ts';
import { compileGetter, type Getter } from './field-path.ts';
import type { Policy } from './schema.ts';
import type { Test } from './subject.ts';
import { policyVersion } from './version.ts';
import { BANT_CRITERIA, type BantCriterion, type LeadType, type Temperature } from './vocabulary.ts';

/** A named compiled condition. */
export interface NamedTest {
  /** The rule's name in the policy. */
  readonly name: string;
  /** Where the rule is, as the trace shows it (built once here rather than per person). */
  readonly label: string;
  readonly test: Test;
}

/** A compiled score rule. */
export interface CompiledScoreRule {
  /** The rule's name in the policy. */
  readonly name: string;
  /** Where the rule is, as the trace shows it. */
  readonly label: string;
  readonly kind: 'fit' | 'engagement';
  readonly points: number;
  /** Absent: the rule always applies. */
  readonly test: Test | undefined;
  /** The numeric field the points are multiplied by, with its path for the trace. */
  readonly per: { readonly path: string; readonly get: Getter } | undefined;
  readonly max: number;
}

/** A compiled allow-backward rule. */
export interface CompiledBackwardRule {
  /** The rule's name in the policy. */
  readonly name: string;
  readonly from: ReadonlySet<string>;
  readonly to: ReadonlySet<string>;
  readonly test: Test | undefined;
}

/**
 * A checked policy compiled once (each rule to a generated function and its closures), so that classifying a person
 * does no parsing or lookups.
 */
export interface CompiledPolicy {
  /** The policy as parsed, defaults applied. */
  readonly definition: Policy;
  /** See policyVersion. */
  readonly version: string;
  /** The signals in file order, with whether each is a sales action. */
  readonly signals: readonly (NamedTest & { readonly sales: boolean })[];
  /** Who is never a lead (partners, employees), in file order. */
  readonly notLeads: readonly NamedTest[];
  readonly fit: { readonly require: number; readonly criteria: readonly NamedTest[] };
  readonly bant: {
    readonly criteria: readonly (NamedTest & { readonly name: BantCriterion })[];
    readonly hot: number;
    readonly warm: number;
    /** Engagement raising the temperature, first match wins. */
    readonly raise: readonly (NamedTest & { readonly to: Temperature })[];
  };
  readonly score: {
    readonly rules: readonly CompiledScoreRule[];
    /** Absent: engagement points do not decay. */
    readonly halfLifeDays: number | undefined;
    /** Absent thresholds never match. */
    readonly engaged: number;
    readonly mql: number;
    readonly salesReady: number;
  };
  readonly leadType: readonly { readonly type: LeadType; readonly label: string; readonly test: Test }[];
  readonly salesReady: Test;
  readonly stage: {
    /** The funnel position of each stage in the order. */
    readonly rank: ReadonlyMap<string, number>;
    /** Every known stage, ordered ones first. */
    readonly known: ReadonlySet<string>;
    readonly default: string;
    readonly rules: readonly { readonly stage: string; readonly label: string; readonly test: Test }[];
    readonly allowBackward: readonly CompiledBackwardRule[];
  };
  readonly opportunities: { readonly won: ReadonlySet<string>; readonly lost: ReadonlySet<string> };
  readonly conversion: {
    /** `conversion.when`: ready to be converted. */
    readonly test: Test;
    /** `conversion.accepted`: a rep accepted it in the CRM; absent: only an acceptance from the CLI counts. */
    readonly accepted: Test | undefined;
  } & Pick<Policy['conversion'], 'salesforce' | 'hubspot' | 'approval'>;
}

/** Compiles a policy that passed the schema and the semantic checks. */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const signalNames = Object.keys(policy.signals);
  const signalIndex = new Map(signalNames.map((name, index) => [name, index]));
  const compile = (spec: ConditionSpec) => compileRule(spec, signalIndex);
  const sales = new Set(policy.salesActions);
  const criteria = Object.entries(policy.fit.criteria).map(([name, spec]) => ({
    name,
    label: `fit.${name}`,
    test: compile(spec),
  }));
  const require =
    policy.fit.require === 'all' ? criteria.length : policy.fit.require === 'any' ? 1 : policy.fit.require;
  const { order, outside } = policy.stage;
  return {
    definition: policy,
    version: policyVersion(policy),
    notLeads: Object.entries(policy.notLeads).map(([name, spec]) => ({
      name,
      label: `notLeads.${name}`,
      test: compile(spec),
    })),
    signals: Object.entries(policy.signals).map(([name, spec]) => ({
      name,
      label: `signals.${name}`,
      test: compile(spec),
      sales: sales.has(name),
    })),
    fit: { require, criteria },
    bant: {
      criteria: BANT_CRITERIA.map((name) => ({
        name,
        label: `bant.${name}`,
        test: compile(policy.bant.criteria[name]),
      })),
      hot: policy.bant.hot,
      warm: policy.bant.warm,
      raise: policy.bant.raise.map((rule, index) => ({
        name: `raise[${index}]`,
        label: `bant.raise[${index}] ${rule.to}`,
        to: rule.to,
        test: compile(rule.when),
      })),
    },
    score: {
      rules: policy.score.rules.map((rule) => ({
        name: rule.name,
        label: `score.${rule.name}`,
        kind: rule.kind,
        points: rule.points,
        test: rule.when === undefined ? undefined : compile(rule.when),
        per: rule.per === undefined ? undefined : { path: rule.per, get: compileGetter(rule.per) },
        max: rule.max ?? Number.POSITIVE_INFINITY,
      })),
      halfLifeDays: policy.score.decay?.halfLifeDays,
      engaged: policy.score.thresholds.engaged ?? Number.POSITIVE_INFINITY,
      mql: policy.score.thresholds.mql ?? Number.POSITIVE_INFINITY,
      salesReady: policy.score.thresholds.salesReady,
    },
    leadType: policy.leadType.map((rule, index) => ({
      type: rule.type,
      label: `leadType[${index}] ${rule.type}`,
      test: compile(rule.when),
    })),
    salesReady: compile(policy.salesReady),
    stage: {
      rank: new Map(order.map((stage, index) => [stage, index])),
      known: new Set([...order, ...outside]),
      default: policy.stage.default,
      rules: policy.stage.rules.map((rule, index) => ({
        stage: rule.stage,
        label: `stage.rules[${index}] ${rule.stage}`,
        test: compile(rule.when),
      })),
      allowBackward: policy.stage.allowBackward.map((rule) => ({
        name: rule.name,
        from: new Set(rule.from),
        to: new Set(rule.to),
        test: rule.when === undefined ? undefined : compile(rule.when),
      })),
    },
    opportunities: { won: new Set(policy.opportunities.won), lost: new Set(policy.opportunities.lost) },
    conversion: {
      test: compile(policy.conversion.when),
      accepted: policy.conversion.accepted === undefined ? undefined : compile(policy.conversion.accepted),
      approval: policy.conversion.approval,
      salesforce: policy.conversion.salesforce,
      hubspot: policy.conversion.hubspot,
    },
  };
}
