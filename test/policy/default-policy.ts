import { readFileSync } from 'node:fs';
import {
  Account,
  type AccountInput,
  Opportunity,
  type OpportunityInput,
  Person,
  type PersonInput,
} from '../../src/model/index.ts';
import {
  type Classification,
  type CompiledPolicy,
  classify,
  DEFAULT_POLICY_FILE,
  parsePolicy,
  type RepDecision,
} from '../../src/policy/index.ts';

export const DEFAULT_POLICY_TEXT = readFileSync(DEFAULT_POLICY_FILE, 'utf8');

/** The default policy with `edits` (exact text replacements) applied; throws when the result is invalid. */
export function policyWith(...edits: [from: string, to: string][]): CompiledPolicy {
  let text = DEFAULT_POLICY_TEXT;
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`the default policy no longer contains ${from}`);
    text = text.replace(from, to);
  }
  const result = parsePolicy(text, 'policy.yaml');
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.line}: ${i.path} ${i.message}`).join('\n'));
  return result.value;
}

export const DEFAULT_POLICY = policyWith();

export const NOW = Date.parse('2026-06-01T00:00:00Z');
export const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

/** A person who fits the ideal customer profile and has shown no interest. */
export const FITTING: PersonInput = {
  kind: 'lead',
  title: 'Director of Operations',
  address: { country: 'US' },
  industry: 'technology',
  employees: 250,
  leadSource: 'referral',
};

/** A person outside the ideal customer profile who has shown no interest. */
export const NOT_FITTING: PersonInput = {
  kind: 'lead',
  title: 'Student',
  address: { country: 'Brazil' },
  industry: 'education',
  employees: 3,
};

export interface Facts {
  readonly account?: AccountInput;
  readonly opportunities?: readonly OpportunityInput[];
  readonly policy?: CompiledPolicy;
  /** A rep's decision recorded from the CLI. */
  readonly decision?: RepDecision;
}

/** Classifies a person built from `input` with the default policy at NOW. */
export function classifyInput(input: PersonInput, facts: Facts = {}): Classification {
  return classify(
    Person.parse(input),
    facts.account === undefined ? undefined : Account.parse(facts.account),
    (facts.opportunities ?? []).map((o) => Opportunity.parse(o)),
    facts.policy ?? DEFAULT_POLICY,
    { now: NOW, decision: facts.decision },
  );
}
