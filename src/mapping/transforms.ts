import type { Transform, TransformName } from '../config/schema.ts';
import { toDate, toDatetime } from './dates.ts';
import { toBoolean, toInteger, toNumber } from './scalars.ts';
import type { Step } from './step.ts';
import {
  domainFromEmail,
  domainFromUrl,
  email,
  emptyToNull,
  lowercase,
  phone,
  trim,
  truncate,
  uppercase,
  withDefault,
} from './text-transforms.ts';

export type SplitPart = 'first' | 'last' | 'allButLast' | 'allButFirst';

/** A split of one external field into parts, each mapped to its own unified field. */
export interface Split {
  /** The text between parts. */
  readonly separator: string;
  /** Which part this mapping takes. */
  readonly take: SplitPart;
}

/** A field's transform list, compiled for both directions. */
export interface CompiledTransforms {
  /** Value steps applied after reading (and joining or splitting) the external value. */
  readonly inbound: readonly Step[];
  /** Value steps applied to the unified value before it is written (and split or recombined). */
  readonly outbound: readonly Step[];
  /** Set when several external fields are joined into one unified value. */
  readonly join: string | undefined;
  /** Set when the unified value is one part of one external field. */
  readonly split: Split | undefined;
  /** Whether a `{ default }` gives an absent value one; every other step passes absent through. */
  readonly fillsAbsent: boolean;
  /** The same for values written (a per-connection default fills only those). */
  readonly fillsAbsentOutbound: boolean;
}

const IDENTITY: Step = (value) => value;

/** Inbound and outbound step of each named transform; derived values (a domain) are left alone outbound. */
const NAMED: Record<TransformName, readonly [inbound: Step, outbound: Step]> = {
  trim: [trim, trim],
  lowercase: [lowercase, lowercase],
  uppercase: [uppercase, uppercase],
  email: [email, email],
  phone: [phone(undefined), phone(undefined)],
  domainFromUrl: [domainFromUrl, domainFromUrl],
  domainFromEmail: [domainFromEmail, IDENTITY],
  number: [toNumber, toNumber],
  integer: [toInteger, toInteger],
  boolean: [toBoolean, toBoolean],
  date: [toDate, toDate],
  datetime: [toDatetime, toDatetime],
  emptyToNull: [emptyToNull, emptyToNull],
};

/**
 * Compiles a transform list. `join` and `split` are not value steps but the shape of the field (how many
 * external fields feed one unified value), so they take effect first inbound and last outbound, wherever they
 * stand in the list; every other transform runs in list order in both directions, except a per-connection
 * `{ default: { <connection>: value } }`, which only fills blanks written to that connection.
 */
export function compileTransforms(transforms: readonly Transform[], connection: string): CompiledTransforms {
  const inbound: Step[] = [];
  const outbound: Step[] = [];
  let join: string | undefined;
  let split: Split | undefined;
  let fillsAbsent = false;
  let fillsAbsentOutbound = false;
  for (const transform of transforms) {
    if (typeof transform === 'string') {
      const [inStep, outStep] = NAMED[transform];
      inbound.push(inStep);
      if (outStep !== IDENTITY) outbound.push(outStep);
    } else if (transform.phone !== undefined) {
      const step = phone(transform.phone.defaultCallingCode);
      inbound.push(step);
      outbound.push(step);
    } else if (transform.default !== undefined && typeof transform.default !== 'object') {
      const step = withDefault(transform.default);
      fillsAbsent = true;
      fillsAbsentOutbound = true;
      inbound.push(step);
      outbound.push(step);
    } else if (transform.default !== undefined) {
      // Per connection: a value a target requires (a Salesforce Lead's Company), written only there.
      const value = transform.default[connection];
      if (value !== undefined) {
        fillsAbsentOutbound = true;
        outbound.push(withDefault(value));
      }
    } else if (transform.truncate !== undefined) {
      const step = truncate(transform.truncate);
      inbound.push(step);
      outbound.push(step);
    } else if (transform.join !== undefined) join = transform.join;
    else if (transform.split !== undefined) split = transform.split;
  }
  return { inbound, outbound, join, split, fillsAbsent, fillsAbsentOutbound };
}
