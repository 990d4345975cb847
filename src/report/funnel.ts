import { NO_STAGE, NOT_IN_STEP, type RoundFigures, type StagePair } from '../store/index.ts';

export { NO_STAGE, NOT_IN_STEP };

/** What the funnel is counted from. */
export interface FunnelInput {
  /** The connections of the pair, with their system. */
  readonly crms: readonly { readonly connection: string; readonly system: string }[];
  /** People by the stage each CRM of the pair held before the round, and after it (`RoundReportStore.reportFunnel`). */
  readonly before: readonly StagePair[];
  readonly after: readonly StagePair[];
  /** The stages in the order the config lists them (its value map's entries). */
  readonly order: readonly string[];
}

/**
 * The lifecycle funnel in each CRM before and after a round, and the people the two CRMs disagreed on.
 *
 * crm-bridge does not read a whole CRM each round, so "in a CRM" means: the people linked to a record there, each
 * at the stage that record holds as far as crm-bridge can tell. Before the round, that is the stage the round read
 * from the record when it changed since the last round, else the stage crm-bridge last synced (the merged record in
 * the state store); people the round found or created there for the first time are not counted before. After the
 * round, it is the stage the round synced, except for a record that is held, had a write refused or has an open
 * issue on its stage: that one holds what the round read from it, or is counted "not in step" when unread. The
 * state store counts each person's stages (see `FunnelQuery` for a person with two records in one CRM); this puts
 * the counts in the report's shape.
 */
export function funnelFigures(input: FunnelInput): RoundFigures['funnel'] {
  const before = counted(input.before);
  const after = counted(input.after);
  const met = new Set<string>();
  for (const side of [before, after])
    for (const tally of side.tallies) for (const stage of Object.keys(tally)) met.add(stage);
  const stages = [
    ...input.order.filter((s) => met.has(s)),
    ...[...met].filter((s) => !input.order.includes(s) && s !== NO_STAGE && s !== NOT_IN_STEP).sort(),
    ...[NO_STAGE, NOT_IN_STEP].filter((s) => met.has(s)),
  ];
  return {
    stages,
    crms: input.crms.map(({ connection, system }, n) => ({
      connection,
      system,
      before: before.tallies[n] ?? {},
      after: after.tallies[n] ?? {},
    })),
    disagreements: { before: before.differ, after: after.differ, both: after.both },
  };
}

/**
 * One side of the funnel: per CRM of the pair, the people at each stage; of the people in both, how many there are
 * and how many the two disagree on (a stage "not in step" in both counts as a disagreement).
 */
function counted(pairs: readonly StagePair[]): {
  tallies: [Record<string, number>, Record<string, number>];
  both: number;
  differ: number;
} {
  const tallies: [Record<string, number>, Record<string, number>] = [{}, {}];
  let both = 0;
  let differ = 0;
  for (const { a, b, people } of pairs) {
    for (const [n, stage] of [a, b].entries())
      if (stage !== null) tallies[n as 0 | 1][stage] = (tallies[n as 0 | 1][stage] ?? 0) + people;
    if (a === null || b === null) continue;
    both += people;
    if (a !== b || a === NOT_IN_STEP) differ += people;
  }
  return { tallies, both, differ };
}
