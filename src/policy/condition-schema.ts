import * as z from 'zod';
import { FACT_NAMES, LEAD_TYPES, TEMPERATURES } from './vocabulary.ts';

/** A literal a comparison compares with. */
export type Literal = string | number | boolean;

/**
 * A condition as written in the policy file: exactly one of the combinators (`all`, `any`, `not`), a reference
 * (`signal`, `fact`, `leadType`, `temperature`) or a comparison (`field` with one operator; `gte` and `lte` may be
 * combined into a range). The structural schema keeps every key optional so that a mistake is reported on the key
 * that is wrong; which keys go together is checked by the policy's semantic checks.
 */
export interface ConditionSpec {
  /** Matches when every listed condition matches. */
  readonly all?: readonly ConditionSpec[] | undefined;
  /** Matches when at least one listed condition matches. */
  readonly any?: readonly ConditionSpec[] | undefined;
  /** Matches when the inner condition does not. */
  readonly not?: ConditionSpec | undefined;
  /** A unified field path (`title`, `address.country`, `custom.budget`, `account.employees`), or a list: any of them. */
  readonly field?: string | readonly string[] | undefined;
  /** Equal to the literal (text compares trimmed and case-insensitively). */
  readonly eq?: Literal | undefined;
  /** Equal to one of the literals. */
  readonly in?: readonly Literal[] | undefined;
  /** A number at least this. */
  readonly gte?: number | undefined;
  /** A number at most this. */
  readonly lte?: number | undefined;
  /** `true`: the field has a value (not absent, null or blank); `false`: it has none. */
  readonly exists?: boolean | undefined;
  /** An RE2 regular expression the text matches, case-insensitively; it runs in time linear in the text. */
  readonly matches?: string | undefined;
  /** A date or date-time no more than this many days before `now`. */
  readonly withinDays?: number | undefined;
  /** A named interest signal matched. */
  readonly signal?: string | undefined;
  /** A derived fact holds (see FACTS). */
  readonly fact?: string | undefined;
  /** The lead type is one of these. */
  readonly leadType?: readonly string[] | undefined;
  /** The temperature is one of these. */
  readonly temperature?: readonly string[] | undefined;
}

const literal = z.union([z.string(), z.number(), z.boolean()], {
  error: 'expected a text, a number or true/false',
});

export const Condition: z.ZodType<ConditionSpec> = z.lazy(() =>
  z.strictObject({
    all: z.array(Condition).min(1).optional(),
    any: z.array(Condition).min(1).optional(),
    not: Condition.optional(),
    field: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
        error: 'expected a field path or a list of field paths',
      })
      .optional(),
    eq: literal.optional(),
    in: z.array(literal).min(1).optional(),
    gte: z.number().optional(),
    lte: z.number().optional(),
    exists: z.boolean().optional(),
    matches: z.string().min(1).optional(),
    withinDays: z.int().min(1).optional(),
    signal: z.string().min(1).optional(),
    fact: z.enum(FACT_NAMES).optional(),
    leadType: z.array(z.enum(LEAD_TYPES)).min(1).optional(),
    temperature: z.array(z.enum(TEMPERATURES)).min(1).optional(),
  }),
);

/** The keys that make a condition what it is; exactly one per condition. */
export const HEADS = ['all', 'any', 'not', 'field', 'signal', 'fact', 'leadType', 'temperature'] as const;
/** The operators of a `field` comparison. */
export const OPERATORS = ['eq', 'in', 'gte', 'lte', 'exists', 'matches', 'withinDays'] as const;
