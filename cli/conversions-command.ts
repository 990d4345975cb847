import { loadProject } from '../src/config/load.ts';
import { formatIssue } from '../src/config/yaml-source.ts';
import { readEnv } from '../src/env.ts';
import { type ApprovalDecision, openStore } from '../src/store/index.ts';
import {
  type DecisionOutcome,
  decideProposals,
  listProposals,
  type ProposalView,
} from '../src/sync/proposals.ts';
import { configPath } from './config-path.ts';
import { countOption, type Output } from './output.ts';

export interface ConversionsOptions {
  readonly config?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

/**
 * Lists the people the policy proposed for conversion (`conversion.approval: rep`), waiting for a rep: who they
 * are, their record in each CRM, why they are ready and since when.
 */
export async function conversionsCommand(options: ConversionsOptions, output: Output): Promise<number> {
  const limit = countOption('limit', options.limit, 1000, output);
  if (limit === undefined) return 2;
  const file = configPath(options.config);
  const project = await loadProject(file);
  if (!project.ok) {
    output.err(project.issues.map(formatIssue).join('\n'));
    return 1;
  }
  const policy = project.value.policy;
  if (policy === undefined) {
    output.err(`${file}: names no policy (policy:), so nobody is proposed for conversion`);
    return 1;
  }
  const store = await openStore(readEnv().DATABASE_URL);
  try {
    const proposals = await listProposals(store, policy, new Date(), limit);
    if (options.json) output.out(JSON.stringify(proposals, null, 2));
    else output.out(formatProposals(proposals, policy.conversion.approval));
    return 0;
  } finally {
    await store.close();
  }
}

/** Records a rep's acceptance (or rejection) of the conversion of each person named; the next round acts on it. */
export async function decideCommand(
  decision: ApprovalDecision,
  who: readonly string[],
  options: { readonly json?: boolean },
  output: Output,
): Promise<number> {
  const store = await openStore(readEnv().DATABASE_URL);
  try {
    const outcomes = await decideProposals(store, who, decision);
    if (options.json) output.out(JSON.stringify(outcomes, null, 2));
    else {
      for (const o of outcomes) (o.ok ? output.out : output.err)(formatOutcome(o, decision));
    }
    return outcomes.every((o) => o.ok) ? 0 : 1;
  } finally {
    await store.close();
  }
}

function formatProposals(proposals: readonly ProposalView[], approval: string): string {
  if (proposals.length === 0)
    return approval === 'rep'
      ? 'no person is waiting for a rep to accept a conversion'
      : 'no person is waiting for a rep: the policy converts without one (conversion.approval: automatic)';
  const lines = proposals.map((p) => {
    const who = [p.name, p.email === null ? null : `<${p.email}>`].filter((s) => s !== null).join(' ');
    const records = p.records.map((r) => `${r.connection} ${r.object} ${r.id}`).join(', ');
    return [
      `${p.unifiedId}  ${who || '(no name)'}`,
      `  records  ${records || 'none'}`,
      `  why      ${p.why}`,
      `  since    ${p.since ?? 'unknown'}`,
    ].join('\n');
  });
  const n = proposals.length;
  lines.push(
    `${n} ${n === 1 ? 'person' : 'people'} proposed; accept with crm-bridge conversions accept <unified id | e-mail> (or in the CRM), and the next round converts`,
  );
  return lines.join('\n');
}

function formatOutcome(outcome: DecisionOutcome, decision: ApprovalDecision): string {
  if (!outcome.ok) return `${outcome.who}: ${outcome.problem}`;
  const who = `${outcome.unifiedId}${outcome.name === null ? '' : ` (${outcome.name})`}`;
  if (decision === 'rejected')
    return `${who}: declined; no longer proposed after the next round (a rep may still accept it in the CRM)`;
  return outcome.proposed
    ? `${who}: accepted; the next round converts it`
    : `${who}: accepted; not proposed now, so it converts once the policy finds it ready`;
}
