import type { Census, RoundFigures } from '../store/index.ts';

/** The label of a person with no stage. */
export const NO_STAGE = 'none';
/** The label of a person whose record in that CRM is held, was refused, or has an open issue on its stage. */
export const NOT_IN_STEP = 'not in step';

/** What the funnel is counted from. */
export interface FunnelInput {
  /** The connections of the pair, with their system. */
  readonly crms: readonly { readonly connection: string; readonly system: string }[];
  /** The state store as the round found it. */
  readonly before: Census;
  /** The state store once the round committed. */
  readonly after: Census;
  /** The stage each person record held when the round read it (`connection/object/externalId`). */
  readonly read: ReadonlyMap<string, unknown>;
  /** The stages in the order the config lists them (its value map's entries). */
  readonly order: readonly string[];
}

const label = (value: unknown): string => (value === null || value === undefined ? NO_STAGE : String(value));

/**
 * The lifecycle funnel in each CRM before and after a round, and the people the two CRMs disagreed on.
 *
 * crm-bridge does not read a whole CRM each round, so "in a CRM" means: the people linked to a record there, each
 * at the stage that record holds as far as crm-bridge can tell. Before the round, that is the stage the round read
 * from the record when it changed since the last round, else the stage crm-bridge last synced (the merged record in
 * the state store); people the round found or created there for the first time are not counted before. After the
 * round, it is the stage the round synced, except for a record that is held, had a write refused or has an open
 * issue on its stage: that one holds what the round read from it, or is counted "not in step" when unread.
 */
export function funnelFigures(input: FunnelInput): RoundFigures['funnel'] {
  const before = stagesPerCrm(input, 'before');
  const after = stagesPerCrm(input, 'after');
  const met = new Set<string>();
  for (const side of [...before.values(), ...after.values()])
    for (const stage of side.values()) met.add(stage);
  const stages = [
    ...input.order.filter((s) => met.has(s)),
    ...[...met].filter((s) => !input.order.includes(s) && s !== NO_STAGE && s !== NOT_IN_STEP).sort(),
    ...[NO_STAGE, NOT_IN_STEP].filter((s) => met.has(s)),
  ];
  const tally = (people: ReadonlyMap<string, string> | undefined) => {
    const out: Record<string, number> = {};
    for (const stage of people?.values() ?? []) out[stage] = (out[stage] ?? 0) + 1;
    return out;
  };
  const [a, b] = input.crms;
  const disagreeing = (side: Map<string, Map<string, string>>) => {
    if (a === undefined || b === undefined) return { both: 0, differ: 0 };
    const left = side.get(a.connection) ?? new Map<string, string>();
    const right = side.get(b.connection) ?? new Map<string, string>();
    let both = 0;
    let differ = 0;
    for (const [person, stage] of left) {
      const other = right.get(person);
      if (other === undefined) continue;
      both += 1;
      if (other !== stage || stage === NOT_IN_STEP) differ += 1;
    }
    return { both, differ };
  };
  return {
    stages,
    crms: input.crms.map(({ connection, system }) => ({
      connection,
      system,
      before: tally(before.get(connection)),
      after: tally(after.get(connection)),
    })),
    disagreements: {
      before: disagreeing(before).differ,
      after: disagreeing(after).differ,
      both: disagreeing(after).both,
    },
  };
}

/** Per connection, each person's stage there (unified id → stage label). */
function stagesPerCrm(input: FunnelInput, when: 'before' | 'after'): Map<string, Map<string, string>> {
  const census = when === 'before' ? input.before : input.after;
  const linkedBefore = new Set(input.before.links.map((l) => `${l.connection}/${l.unifiedId}`));
  // Records read this round are named by the links the round left (a new record is linked only once matched).
  const links = when === 'before' ? [...input.before.links, ...input.after.links] : input.after.links;
  const out = new Map<string, Map<string, string>>(input.crms.map((c) => [c.connection, new Map()]));
  for (const link of links) {
    const people = out.get(link.connection);
    if (people === undefined) continue;
    const key = `${link.connection}/${link.object}/${link.externalId}`;
    const wasRead = input.read.has(key);
    let stage: string | undefined;
    if (when === 'before') {
      if (wasRead) stage = label(input.read.get(key));
      else if (linkedBefore.has(`${link.connection}/${link.unifiedId}`))
        stage = input.before.outOfStep.has(key)
          ? NOT_IN_STEP
          : label(input.before.values.get(link.unifiedId));
    } else if (census.outOfStep.has(key)) stage = wasRead ? label(input.read.get(key)) : NOT_IN_STEP;
    else stage = label(census.values.get(link.unifiedId));
    // A person with two records in one CRM (a converted Lead and its Contact) counts once: a record read wins.
    if (stage !== undefined && (wasRead || !people.has(link.unifiedId))) people.set(link.unifiedId, stage);
  }
  return out;
}
