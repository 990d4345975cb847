import type { EntityName } from '../model/index.ts';
import type { Classification, RepDecision } from '../policy/index.ts';
import type { SyncContext } from './context.ts';
import { type Group, unchangedGroups } from './resolve.ts';

type Bag = Record<string, unknown>;

/** The groups a round plans, with reps' decisions on their conversions (`crm-bridge conversions`). */
export interface RoundApprovals {
  /** The round's groups, and the people a rep decided on since their record last said proposed. */
  readonly groups: readonly Group[];
  /** The decision a rep recorded on each of these people's conversion, by unified id. */
  readonly decisions: ReadonlyMap<string, RepDecision>;
}

/**
 * Reps' decisions for the people a round plans, read in one batch. A person a rep decided on from the CLI is
 * planned this round even when neither CRM changed them: their record still says proposed, and the decision
 * changes that (and, accepted, converts them). Only a policy whose conversions a rep confirms reads decisions.
 */
export async function loadApprovals(
  ctx: SyncContext,
  entity: EntityName,
  groups: readonly Group[],
): Promise<RoundApprovals> {
  if (entity !== 'person' || ctx.policy?.conversion.approval !== 'rep')
    return { groups, decisions: new Map() };
  // Those the identity map knows nothing of are no longer anyone's records.
  const waiting = await unchangedGroups(ctx.store, await ctx.store.pendingApprovals(), groups);
  const all = [...groups, ...waiting.filter((g) => g.links.length > 0)];
  const approvals = await ctx.store.approvalsOf(all.map((g) => g.unifiedId));
  const decisions = new Map([...approvals].map(([id, a]) => [id, a.decision] as const));
  return { groups: all, decisions };
}

/**
 * The proposal fields of a classified person: the state the policy gave (proposed, accepted or none) and since
 * when it was first proposed (kept from the last synced record while the proposal stands).
 */
export function proposalFields(
  classification: Classification,
  base: Bag | undefined,
  now: Date,
): { conversionProposal: string | null; conversionProposedAt: string | null } {
  const state = classification.proposal;
  if (state === null) return { conversionProposal: null, conversionProposedAt: null };
  const since =
    typeof base?.conversionProposal === 'string' && typeof base.conversionProposedAt === 'string'
      ? base.conversionProposedAt
      : now.toISOString();
  return { conversionProposal: state, conversionProposedAt: since };
}
