/** The lead types of DEFINITIONS.md, by how the interest arose. */
export const LEAD_TYPES = ['IQL', 'MQL', 'SQL', 'SRL', 'MSRL'] as const;
export type LeadType = (typeof LEAD_TYPES)[number];

/** BANT temperature, hottest first. */
export const TEMPERATURES = ['hot', 'warm', 'cold'] as const;
export type Temperature = (typeof TEMPERATURES)[number];

/** The four BANT criteria. */
export const BANT_CRITERIA = ['budget', 'authority', 'need', 'timing'] as const;
export type BantCriterion = (typeof BANT_CRITERIA)[number];

/**
 * The steps of a classification, in the order they run. A condition may only read what earlier steps decided,
 * which is what makes the policy free of cycles by construction.
 */
export const STEPS = ['signals', 'fit', 'bant', 'score', 'leadType', 'salesReady', 'stage'] as const;
export type Step = (typeof STEPS)[number];

/** Derived yes/no facts a condition can test with `{ fact: <name> }`, each with the first step that may read it. */
export const FACTS = {
  /** The person has an opportunity that is neither won nor lost. */
  openOpportunity: 'signals',
  /** The person has a won opportunity. */
  closedWon: 'signals',
  /** The record carries a Salesforce lead-conversion marker. */
  converted: 'signals',
  /** A `notLeads` rule matched: a partner or an employee, a contact in the broad sense but never a lead. */
  notLead: 'signals',
  /** At least one interest signal matched. */
  interest: 'fit',
  /** At least one signal listed under `salesActions` matched. */
  salesAction: 'fit',
  /** The person fits the ideal customer profile. */
  fit: 'bant',
  /** The score reached `score.thresholds.engaged`. */
  engagedScore: 'leadType',
  /** The score reached `score.thresholds.mql`. */
  mqlScore: 'leadType',
  /** The score reached `score.thresholds.salesReady`. */
  salesReadyScore: 'leadType',
  /** The `salesReady` condition matched. */
  salesReady: 'stage',
  /** A rep accepted the person's conversion: `conversion.accepted` matched, or a rep accepted it from the CLI. */
  accepted: 'stage',
} as const satisfies Record<string, Step>;
export type FactName = keyof typeof FACTS;
export const FACT_NAMES = Object.keys(FACTS) as FactName[];

/**
 * The first step at which each condition kind that reads a derived value may be used. The temperature is final only
 * after the score, since engagement may raise it (`bant.raise`).
 */
export const AVAILABLE_FROM = {
  signal: 'fit',
  temperature: 'leadType',
  leadType: 'salesReady',
} as const satisfies Record<string, Step>;

/** Whether a value decided for `from` is known while `step` runs. */
export function knownAt(from: Step, step: Step): boolean {
  return STEPS.indexOf(from) <= STEPS.indexOf(step);
}
