import type { LeadType, Temperature } from './vocabulary.ts';

/** One rule the classification evaluated. */
export interface TraceEntry {
  /** Where the rule is in the policy, e.g. `signals.demoRequest`, `fit.size`, `stage.rules[2]`. */
  readonly rule: string;
  /** Whether it matched (for a score rule: whether it added points). */
  readonly matched: boolean;
  /** The values it looked at, by field path or by `signal:`/`fact:` name. */
  readonly saw: Readonly<Record<string, unknown>>;
  /** What the rule decided, when more than matched/not (`+10 points`, `→ sql`). */
  readonly note?: string;
}

/** How to carry out a conversion in Salesforce. */
export interface SalesforceConversion {
  /** The Lead status the conversion sets. */
  readonly convertedStatus: string;
  /** Whether the conversion also creates an Opportunity. */
  readonly createOpportunity: boolean;
  /** Whether the Contact joins the account matched by email domain rather than a new one. */
  readonly attachToMatchedAccount: boolean;
}

/** How to carry out a conversion in HubSpot: an advance of the lifecycle stage, optionally with a deal. */
export interface HubSpotConversion {
  /** The unified stage to advance to; the config's lifecycle value map gives HubSpot's value. */
  readonly lifecycleStage: string;
  /** Whether a deal is created and associated. */
  readonly createDeal: boolean;
  /** The deal's pipeline. */
  readonly pipeline: string;
  /** The deal's stage in that pipeline. */
  readonly dealStage: string;
}

/**
 * Whether the person must be converted, and how in each system. The Salesforce step applies only where the person
 * is still a Lead; the sync engine knows which records those are.
 */
export type ConversionDecision =
  | {
      readonly required: false;
      readonly reason: string;
      /** Ready to convert, waiting for a rep to accept it (`conversion.approval: rep`). */
      readonly proposed?: boolean;
    }
  | {
      readonly required: true;
      readonly reason: string;
      readonly salesforce: SalesforceConversion;
      readonly hubspot: HubSpotConversion;
    };

/** What a verdict rests on, so that an explanation can say "because" without reading the trace. */
export interface Reasons {
  /** The `notLeads` rule that matched (a partner, an employee), or null. */
  readonly notLead: string | null;
  /** The fit criteria that matched, how many there are, and how many the policy requires. */
  readonly fit: { readonly matched: readonly string[]; readonly of: number; readonly required: number };
  /** The BANT criteria met, the temperature they alone give, its thresholds, and the rule that raised it. */
  readonly bant: {
    readonly met: readonly string[];
    readonly temperature: Temperature;
    readonly hot: number;
    readonly warm: number;
    readonly raisedBy: string | null;
  };
  /** The matched signals that are sales-specific actions. */
  readonly salesActions: readonly string[];
  /** The score thresholds in force; null: the policy sets none. */
  readonly thresholds: {
    readonly engaged: number | null;
    readonly mql: number | null;
    readonly salesReady: number;
  };
  /** Where the lead type came from (`leadType[0] SRL`), or null. */
  readonly leadTypeRule: string | null;
  /** The stage rule that matched (`stage.rules[3] sql`), or null. */
  readonly stageRule: string | null;
  /** How the final stage follows from the current one (`forward`, `forward-only: sql → lead is not allowed`). */
  readonly stageNote: string;
}

/** The states of a conversion a rep confirms. */
export const PROPOSAL_STATES = ['proposed', 'accepted'] as const;
export type ConversionProposal = (typeof PROPOSAL_STATES)[number];

/** A rep's decision on a person's conversion, recorded outside the CRMs (`crm-bridge conversions accept`). */
export type RepDecision = 'accepted' | 'rejected';

/** The policy's verdict on one person. */
export interface Classification {
  /** The unified lifecycle stage (prospect, lead, mql, sql, opportunity, customer, evangelist, other). */
  readonly stage: string;
  /** How the interest arose, or null when no lead-type rule matched. */
  readonly leadType: LeadType | null;
  /** BANT temperature. */
  readonly temperature: Temperature;
  /** Fit points plus (decayed) engagement points, rounded, never below 0. */
  readonly score: number;
  /** Whether the person fits the ideal customer profile. */
  readonly fit: boolean;
  /** The names of the interest signals that matched, in policy order. */
  readonly interest: readonly string[];
  /** Whether the person is ready for sales. */
  readonly salesReady: boolean;
  readonly convert: ConversionDecision;
  /**
   * Where a rep's check of the conversion stands, for the CRMs to show (with `conversion.approval: rep`):
   * `proposed` (ready, waiting for a rep), `accepted` (ready, and a rep accepted it), or null (neither; always null
   * with `automatic`).
   */
  readonly proposal: ConversionProposal | null;
  readonly reasons: Reasons;
  /** The hash of the policy that decided this, to find classifications a policy change affects. */
  readonly policyVersion: string;
  /** Every rule evaluated, in order; empty when the caller asked for no trace. */
  readonly trace: readonly TraceEntry[];
}
