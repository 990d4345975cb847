import { type Census, keyOf, type RoundFigures } from '../store/index.ts';

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
  // Each side is counted, then let go: at a million people, a side's stages per person are tens of MB.
  const before = counted(input, stagesPerCrm(input, 'before'));
  const after = counted(input, stagesPerCrm(input, 'after'));
  const met = new Set<string>();
  for (const side of [before, after])
    for (const tally of side.tallies.values()) for (const stage of Object.keys(tally)) met.add(stage);
  const stages = [
    ...input.order.filter((s) => met.has(s)),
    ...[...met].filter((s) => !input.order.includes(s) && s !== NO_STAGE && s !== NOT_IN_STEP).sort(),
    ...[NO_STAGE, NOT_IN_STEP].filter((s) => met.has(s)),
  ];
  return {
    stages,
    crms: input.crms.map(({ connection, system }) => ({
      connection,
      system,
      before: before.tallies.get(connection) ?? {},
      after: after.tallies.get(connection) ?? {},
    })),
    disagreements: { before: before.differ, after: after.differ, both: after.both },
  };
}

/**
 * One side of the funnel counted: per connection, the people at each stage; of the people in both CRMs of the pair,
 * how many there are and how many the two disagree on (a stage "not in step" in both counts as a disagreement).
 */
function counted(
  input: FunnelInput,
  side: Map<string, Map<string, string>>,
): { tallies: Map<string, Record<string, number>>; both: number; differ: number } {
  const tallies = new Map<string, Record<string, number>>();
  for (const [connection, people] of side) {
    const tally: Record<string, number> = {};
    for (const stage of people.values()) tally[stage] = (tally[stage] ?? 0) + 1;
    tallies.set(connection, tally);
  }
  const [a, b] = input.crms;
  let both = 0;
  let differ = 0;
  if (a !== undefined && b !== undefined) {
    const left = side.get(a.connection) ?? new Map<string, string>();
    const right = side.get(b.connection) ?? new Map<string, string>();
    for (const [person, stage] of left) {
      const other = right.get(person);
      if (other === undefined) continue;
      both += 1;
      if (other !== stage || stage === NOT_IN_STEP) differ += 1;
    }
  }
  return { tallies, both, differ };
}

/** Per connection, each person's stage there (unified id → stage label). */
function stagesPerCrm(input: FunnelInput, when: 'before' | 'after'): Map<string, Map<string, string>> {
  const census = when === 'before' ? input.before : input.after;
  // Per connection, the people linked there before the round (their own id strings: no new string per link).
  const linkedBefore = new Map<string, Set<string>>();
  for (const l of when === 'before' ? input.before.links : []) {
    const people = linkedBefore.get(l.connection) ?? new Set<string>();
    linkedBefore.set(l.connection, people);
    people.add(l.unifiedId);
  }
  const out = new Map<string, Map<string, string>>(input.crms.map((c) => [c.connection, new Map()]));
  // Records read this round are named by the links the round left (a new record is linked only once matched).
  const linkSets = when === 'before' ? [input.before.links, input.after.links] : [input.after.links];
  for (const links of linkSets)
    for (const link of links) {
      const people = out.get(link.connection);
      if (people === undefined) continue;
      const key = keyOf(link);
      const wasRead = input.read.has(key);
      let stage: string | undefined;
      if (when === 'before') {
        if (wasRead) stage = label(input.read.get(key));
        else if (linkedBefore.get(link.connection)?.has(link.unifiedId) === true)
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
