import type { Account, Person } from '../model/index.ts';
import type { FactName, LeadType, Temperature } from './vocabulary.ts';

/**
 * What conditions read while one person is classified. Steps fill in the derived parts as they run; the policy's
 * checks guarantee that no condition reads a part before its step decided it.
 */
export interface Subject {
  readonly person: Person;
  readonly account: Account | undefined;
  /** Milliseconds since the epoch; the only notion of time a classification has. */
  readonly now: number;
  /** One entry per signal, in the order of the policy's `signals`. */
  readonly signals: boolean[];
  readonly facts: Record<FactName, boolean>;
  leadType: LeadType | null;
  temperature: Temperature;
}

/** The values a rule looked at, by field path (or `signal:<name>`, `fact:<name>`, …), for the trace. */
export type Seen = Record<string, unknown>;

/** A compiled condition. `seen` is given only when the trace is wanted, so that classifying without it allocates less. */
export type Test = (subject: Subject, seen: Seen | undefined) => boolean;
