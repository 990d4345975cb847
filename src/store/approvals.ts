/** A rep's decision on a person's conversion, recorded outside the CRMs (`crm-bridge conversions accept`). */
export type ApprovalDecision = 'accepted' | 'rejected';

/** One person's latest decision. */
export interface Approval {
  readonly unifiedId: string;
  readonly decision: ApprovalDecision;
  /** When it was recorded (ISO 8601). */
  readonly decidedAt: string;
}

/** A person the last round left proposed for conversion: their merged record as last synced. */
export interface Proposal {
  readonly unifiedId: string;
  readonly person: Readonly<Record<string, unknown>>;
}

/**
 * Reps' decisions on the conversions the policy proposes (`conversion.approval: rep`), when they are given from
 * crm-bridge rather than in a CRM. A round reads the decisions of the people it plans in one batch.
 */
export interface ApprovalStore {
  /** Records a rep's decision on a person's conversion, replacing an earlier one (the time is the store's clock). */
  recordApproval(unifiedId: string, decision: ApprovalDecision, decidedAt?: string): Promise<void>;
  /** The decisions on these people, by unified id. */
  approvalsOf(unifiedIds: readonly string[]): Promise<Map<string, Approval>>;
  /**
   * The people with a decision their merged record does not show yet (it still says proposed): the next round
   * plans them, changed in a CRM or not.
   */
  pendingApprovals(): Promise<string[]>;
  /** The people whose merged record says proposed, the longest waiting first, at most `limit`. */
  proposals(limit: number): Promise<Proposal[]>;
}
