/**
 * A refused value. Steps return it instead of throwing: a bad value is an expected per-record outcome, and
 * returning is far cheaper than unwinding an exception on a hot path of 100k records.
 */
export class Invalid {
  /** What an admin reads in the quarantine, e.g. `invalid e-mail`. */
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

/**
 * One stage of a compiled field pipeline: takes a value, returns the next value or an {@link Invalid}.
 * Every step passes `null` (blank) and `undefined` (absent) through unchanged unless blanks are its business
 * (`default`, `emptyToNull`), so pipelines need no null checks between steps.
 */
export type Step = (value: unknown) => unknown;

/** Runs steps in order, stopping at the first refusal (which may be the value handed in). */
export function runSteps(steps: readonly Step[], value: unknown): unknown {
  let current = value;
  for (let i = 0; i < steps.length && !(current instanceof Invalid); i++)
    current = (steps[i] as Step)(current);
  return current;
}
