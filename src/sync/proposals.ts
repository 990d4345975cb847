import type { Account, Person } from '../model/index.ts';
import { type CompiledPolicy, classify, readyReason } from '../policy/index.ts';
import type { ApprovalDecision, IdentityLink, Store } from '../store/index.ts';

type Bag = Record<string, unknown>;

/** A person the policy proposed for conversion, as `crm-bridge conversions` lists them. */
export interface ProposalView {
  readonly unifiedId: string;
  readonly name: string | null;
  readonly email: string | null;
  /** The person's record in each CRM: connection, object, id. */
  readonly records: readonly { readonly connection: string; readonly object: string; readonly id: string }[];
  /** Why the person is ready to convert, as the policy says it now. */
  readonly why: string;
  /** When the person was first proposed (ISO 8601), if known. */
  readonly since: string | null;
}

/**
 * The people waiting for a rep, the longest waiting first: each classified again from its merged record and
 * account with the policy, to say why it is ready (a deal would have ended the proposal, so none is needed).
 */
export async function listProposals(
  store: Store,
  policy: CompiledPolicy,
  now: Date,
  limit: number,
): Promise<ProposalView[]> {
  const proposals = await store.proposals(limit);
  const ids = proposals.map((p) => p.unifiedId);
  const accountIds = proposals
    .map((p) => (p.person.account as { id?: string } | null | undefined)?.id)
    .filter((id): id is string => id !== undefined);
  const [links, accounts] = await Promise.all([
    ids.length === 0 ? [] : store.linksOf(ids),
    accountIds.length === 0 ? new Map<string, Bag>() : store.snapshots(accountIds),
  ]);
  const linksOf = Map.groupBy(links, (l) => l.unifiedId);
  return proposals.map(({ unifiedId, person }) => {
    const accountId = (person.account as { id?: string } | null | undefined)?.id;
    const account = accountId === undefined ? undefined : accounts.get(accountId);
    const result = classify(person as Person, account as Account | undefined, [], policy, {
      now,
      trace: false,
    });
    const name = [person.firstName, person.lastName]
      .filter((p) => typeof p === 'string' && p !== '')
      .join(' ');
    return {
      unifiedId,
      name: name === '' ? null : name,
      email: typeof person.email === 'string' ? person.email : null,
      records: (linksOf.get(unifiedId) ?? []).map((l) => ({
        connection: l.connection,
        object: l.object,
        id: l.externalId,
      })),
      why: readyReason(result.convert),
      since: typeof person.conversionProposedAt === 'string' ? person.conversionProposedAt : null,
    };
  });
}

/** What became of one person a rep named: found and recorded, or why not. */
export type DecisionOutcome =
  | {
      readonly ok: true;
      readonly who: string;
      readonly unifiedId: string;
      readonly name: string | null;
      /** Whether the person's record says proposed now (else the decision counts once the policy proposes it). */
      readonly proposed: boolean;
    }
  | { readonly ok: false; readonly who: string; readonly problem: string };

/**
 * Records a rep's decision on each person named by unified id or e-mail (as the state store knows them: synced at
 * least once). A name that matches nobody, or an e-mail several people share, is refused, and the others recorded.
 */
export async function decideProposals(
  store: Store,
  who: readonly string[],
  decision: ApprovalDecision,
): Promise<DecisionOutcome[]> {
  const emails = who.filter((w) => w.includes('@')).map((w) => w.trim().toLowerCase());
  const byEmail =
    emails.length === 0 ? new Map<string, string[]>() : await store.findByMatchKey('person', 'email', emails);
  const candidates = new Map<string, string[]>(
    who.map((w) => [w, w.includes('@') ? (byEmail.get(w.trim().toLowerCase()) ?? []) : [w.trim()]]),
  );
  const snapshots = await store.snapshots([...new Set([...candidates.values()].flat())]);
  const links = await store.linksOf([...snapshots.keys()]);
  const linked = new Set(links.map((l: IdentityLink) => l.unifiedId));
  const out: DecisionOutcome[] = [];
  for (const [name, ids] of candidates) {
    // A person's record has a kind (lead or contact); an account's or a deal's has none.
    const known = ids.filter((id) => snapshots.get(id)?.kind !== undefined && linked.has(id));
    const person = known.length === 1 ? snapshots.get(known[0] as string) : undefined;
    if (known.length > 1) {
      out.push({
        ok: false,
        who: name,
        problem: `${known.length} people have this e-mail (${known.join(', ')}): name one by its unified id`,
      });
      continue;
    }
    if (person === undefined || known[0] === undefined) {
      const what = name.includes('@') ? 'e-mail' : 'unified id';
      out.push({
        ok: false,
        who: name,
        problem: `no person with this ${what} in the state store (synced people only; crm-bridge conversions lists the proposed ones)`,
      });
      continue;
    }
    await store.recordApproval(known[0], decision);
    const full = [person.firstName, person.lastName]
      .filter((p) => typeof p === 'string' && p !== '')
      .join(' ');
    out.push({
      ok: true,
      who: name,
      unifiedId: known[0],
      name: full === '' ? null : full,
      proposed: person.conversionProposal === 'proposed',
    });
  }
  return out;
}
