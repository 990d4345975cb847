import * as z from 'zod';
import { Condition } from './condition-schema.ts';
import { LEAD_TYPES } from './vocabulary.ts';

const name = z.string().regex(/^[a-z][A-Za-z0-9]*$/, { error: 'expected a camelCase name' });
const stageName = z.string().regex(/^[a-z][A-Za-z0-9]*$/, { error: 'expected a stage name such as mql' });
const named = z.record(z.string().min(1), Condition);

const FitSection = z.strictObject({
  /** How many criteria must match: `all`, `any` or a number. */
  require: z.union([z.literal('all'), z.literal('any'), z.int().min(1)], {
    error: 'expected all, any or a number of criteria',
  }),
  /** The ideal customer profile, one named condition per criterion. */
  criteria: named,
});

const BantSection = z.strictObject({
  criteria: z.strictObject({ budget: Condition, authority: Condition, need: Condition, timing: Condition }),
  /** At least this many criteria met: hot. */
  hot: z.int().min(1).max(4).default(3),
  /** At least this many (and fewer than `hot`): warm; fewer: cold. */
  warm: z.int().min(1).max(4).default(2),
  /**
   * Engagement raising the temperature BANT gave, checked once the score is known: the first matching rule lifts a
   * colder person to its `to` temperature (never lowers it).
   */
  raise: z.array(z.strictObject({ to: z.enum(['warm', 'hot']), when: Condition })).default([]),
});

const ScoreRule = z.strictObject({
  name,
  /** `fit` points never decay; `engagement` points decay with inactivity. */
  kind: z.enum(['fit', 'engagement']),
  points: z.number(),
  /** The rule applies only when this matches (always when absent). */
  when: Condition.optional(),
  /** Multiply the points by this numeric field's value. */
  per: z.string().min(1).optional(),
  /** A cap on what a `per` rule adds. */
  max: z.number().min(0).optional(),
});

const ScoreSection = z.strictObject({
  rules: z.array(ScoreRule).min(1),
  /** Engagement points halve every `halfLifeDays` since `lastActivityAt`. */
  decay: z.strictObject({ halfLifeDays: z.number().positive() }).optional(),
  thresholds: z.strictObject({
    /** A score showing engagement (`fact: engagedScore`), e.g. to raise the temperature. */
    engaged: z.number().min(0).optional(),
    /** `fact: mqlScore`. */
    mql: z.number().min(0).optional(),
    /** `fact: salesReadyScore`. */
    salesReady: z.number().min(0),
  }),
});

const LeadTypeRule = z.strictObject({ type: z.enum(LEAD_TYPES), when: Condition });

const StageRule = z.strictObject({ stage: stageName, when: Condition });

const BackwardRule = z.strictObject({
  name,
  from: z.array(stageName).min(1),
  to: z.array(stageName).min(1),
  when: Condition.optional(),
});

const StageSection = z.strictObject({
  /** The funnel, earliest first. Stages only move forward along it. */
  order: z.array(stageName).min(2),
  /** Stages with no place in the funnel; entering or leaving one needs an `allowBackward` rule. */
  outside: z.array(stageName).default([]),
  /** The stage of a person no rule matches and who has no stage yet. */
  default: stageName,
  /** First match wins; list the most advanced stage first. */
  rules: z.array(StageRule).min(1),
  /** Moves forward-only would refuse (back in the order, into or out of an outside stage), and when. */
  allowBackward: z.array(BackwardRule).default([]),
});

const OpportunitySection = z.strictObject({
  /** Unified opportunity stages that mean won (besides `isWon`). */
  won: z.array(z.string().min(1)).default(['closedWon']),
  /** Unified opportunity stages that mean lost (besides `isClosed` without `isWon`). */
  lost: z.array(z.string().min(1)).default(['closedLost']),
});

/** Who confirms a conversion: a rep (the person is proposed until accepted), or nobody (converted at once). */
export const APPROVALS = ['rep', 'automatic'] as const;

const ConversionSection = z.strictObject({
  /** When a person is ready to be converted (the sales-ready condition); by default when sales-ready. */
  when: Condition.default({ fact: 'salesReady' }),
  /**
   * `rep` (the default): a person `when` matches is proposed, and converted once a rep accepted it (`accepted` in
   * the CRM, or `crm-bridge conversions accept`); `automatic`: converted as soon as `when` matches.
   */
  approval: z.enum(APPROVALS, { error: 'expected rep or automatic' }).default('rep'),
  /** What a rep's acceptance looks like in the CRM (e.g. a Lead Status a rep sets); `fact: accepted` reads it. */
  accepted: Condition.optional(),
  salesforce: z.strictObject({
    /** The Lead status a conversion sets. */
    convertedStatus: z.string().min(1),
    createOpportunity: z.boolean().default(true),
    /** Attach the new Contact to the account matched by email domain instead of creating one. */
    attachToMatchedAccount: z.boolean().default(true),
  }),
  hubspot: z.strictObject({
    /** The unified stage the contact's lifecycle stage advances to. */
    lifecycleStage: stageName,
    createDeal: z.boolean().default(true),
    pipeline: z.string().min(1).default('default'),
    dealStage: z.string().min(1).default('appointmentscheduled'),
  }),
});

/** The lead-vs-contact policy file. */
export const Policy = z.strictObject({
  version: z.literal(1),
  /**
   * People who are contacts in the broad sense but never leads (partners, employees): when one of these matches,
   * no signal counts as interest.
   */
  notLeads: named.default({}),
  /** Named interest signals; every matched one is part of the person's interest. */
  signals: named,
  /** The signals that are sales-specific actions (demo request, trial, talk to sales). */
  salesActions: z.array(name).default([]),
  fit: FitSection,
  bant: BantSection,
  score: ScoreSection,
  /** First match wins. */
  leadType: z.array(LeadTypeRule).min(1),
  /** When a person is sales-ready. */
  salesReady: Condition,
  stage: StageSection,
  opportunities: OpportunitySection.default({ won: ['closedWon'], lost: ['closedLost'] }),
  conversion: ConversionSection,
});
export type Policy = z.infer<typeof Policy>;
export type PolicyInput = z.input<typeof Policy>;
export type ScoreRule = z.infer<typeof ScoreRule>;
export type BackwardRule = z.infer<typeof BackwardRule>;
