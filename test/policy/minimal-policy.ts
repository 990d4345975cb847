import { formatIssue } from '../../src/config/yaml-source.ts';
import { parsePolicy } from '../../src/policy/index.ts';

/** A small valid policy; tests edit it to make one mistake and check the message and its line. */
export const MINIMAL = `version: 1
signals:
  demoRequest: { field: recentConversion, matches: demo }
  formFill: { field: conversionCount, gte: 1 }
salesActions: [demoRequest]
fit:
  require: all
  criteria:
    size: { field: account.employees, gte: 50 }
    market: { field: address.country, in: [US, CA] }
bant:
  criteria:
    budget: { field: custom.budget, gte: 10000 }
    authority: { field: custom.authority, eq: true }
    need: { field: custom.need, exists: true }
    timing: { field: custom.timeline, exists: true }
score:
  rules:
    - { name: fits, kind: fit, points: 40, when: { fact: fit } }
    - { name: demo, kind: engagement, points: 60, when: { signal: demoRequest } }
  thresholds: { mql: 40, salesReady: 80 }
leadType:
  - { type: SRL, when: { signal: demoRequest } }
  - { type: MQL, when: { signal: formFill } }
salesReady: { all: [{ fact: fit }, { fact: salesAction }] }
stage:
  order: [lead, mql, sql, customer]
  outside: [other]
  default: other
  rules:
    - { stage: customer, when: { fact: closedWon } }
    - { stage: sql, when: { fact: salesReady } }
    - { stage: lead, when: { fact: interest } }
  allowBackward:
    - { name: reopened, from: [customer], to: [sql] }
conversion:
  salesforce: { convertedStatus: Qualified }
  hubspot: { lifecycleStage: sql }
`;

/** The formatted issues of MINIMAL after exact text replacements (each must apply). */
export function issuesAfter(...edits: [from: string, to: string][]): string[] {
  let text = MINIMAL;
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`MINIMAL does not contain ${from}`);
    text = text.replace(from, to);
  }
  const result = parsePolicy(text, 'policy.yaml');
  return result.ok ? [] : result.issues.map(formatIssue);
}
