import type { RunRecord } from '../src/store/index.ts';

/** The start of time, as a cursor position: the next pull of that object reads everything again. */
export const FULL_RELOAD = '1970-01-01T00:00:00.000Z';

/**
 * Where an object's cursor must go back to so that the next round reads a quarantined record again.
 *
 * Not `firstSeen` minus the overlap: `firstSeen` is when a round set the record aside, and the record's own
 * modification stamp, which the cursor is compared with, can be any time since the round before (15 minutes on
 * the default schedule, far more than the 2-minute overlap). What is known for sure: the last round of the pair
 * that finished successfully before `firstSeen` had already read the record as it was then, so the change that
 * got it quarantined came after that round started. Its start is the cursor to go back to (the pull itself takes
 * off the overlap, for clock skew). Without such a round, the object is read again from the start; records whose
 * hash is known are skipped cheaply.
 */
export function rewindPoint(firstSeen: string, pair: string, runs: readonly RunRecord[]): string {
  let best: string | undefined;
  for (const run of runs) {
    if (run.pair !== pair || run.status !== 'succeeded' || run.finishedAt === undefined) continue;
    if (run.finishedAt < firstSeen && (best === undefined || run.startedAt > best)) best = run.startedAt;
  }
  return best ?? FULL_RELOAD;
}
