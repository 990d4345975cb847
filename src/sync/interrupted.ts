/**
 * A round stopped on the operator's word (SIGINT, SIGTERM) after the writes in flight: what landed is linked, so
 * the next round updates those records instead of creating them again, and the cursors were not moved, so it reads
 * the same window again. Nothing is lost.
 */
export class RoundInterrupted extends Error {
  override readonly name = 'RoundInterrupted';
  /** What the operator can rely on, and what happens next. */
  readonly hint: string;

  constructor(signal: string, done: { readonly recorded: readonly string[]; readonly writes: number }) {
    const recorded = done.recorded.length === 0 ? 'no entity' : done.recorded.join(', ');
    super(`round interrupted by ${signal}: ${recorded} recorded, ${done.writes} writes landed`);
    this.hint =
      'every write that landed is linked and will not be made twice; the cursors were not moved, so the next round ' +
      'reads the same window again and finishes the work';
  }
}
