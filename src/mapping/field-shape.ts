import { isBlank } from '../model/blank.ts';
import { NOT_A_STRING } from './scalars.ts';
import type { Invalid } from './step.ts';
import type { Split, SplitPart } from './transforms.ts';

/** Text of a string, number or boolean; lists and objects have no text a field could hold. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Inbound `{ join }`: the non-blank values of the listed fields; undefined when none of them was returned. */
export function joinFields(
  fields: Readonly<Record<string, unknown>>,
  names: readonly string[],
  separator: string,
): string | null | undefined | Invalid {
  let out: string | undefined;
  let seen = false;
  for (const name of names) {
    const value = fields[name];
    if (value === undefined) continue;
    seen = true;
    if (value === null) continue;
    const text = textOf(value);
    if (text === undefined) return NOT_A_STRING;
    if (isBlank(text)) continue;
    out = out === undefined ? text : `${out}${separator}${text}`;
  }
  return seen ? (out ?? null) : undefined;
}

/**
 * Outbound `{ join }`: the last n-1 fields take one token each from the right and the first field keeps the
 * rest, so `Ada King Lovelace` into `[FirstName, LastName]` gives `Ada King` / `Lovelace`.
 */
export function splitForFields(value: unknown, count: number, separator: string): unknown[] {
  const out: unknown[] = new Array(count).fill(null);
  if (value == null) return out;
  const tokens = (textOf(value) ?? '').split(separator);
  for (let field = count - 1; field > 0 && tokens.length > 0; field--) out[field] = tokens.pop();
  if (tokens.length > 0) out[0] = tokens.join(separator);
  return out;
}

/**
 * Inbound `{ split }`. Without a separator, `first` and `last` take the whole value and `allButFirst` and
 * `allButLast` nothing, so both pairs (first + allButFirst, allButLast + last) always cover the whole value.
 */
export function takePart(value: unknown, split: Split): unknown {
  if (value == null) return value;
  const text = textOf(value);
  if (text === undefined) return NOT_A_STRING;
  const { separator, take } = split;
  const at =
    take === 'first' || take === 'allButFirst' ? text.indexOf(separator) : text.lastIndexOf(separator);
  if (at < 0) return take === 'first' || take === 'last' ? text : null;
  switch (take) {
    case 'first':
    case 'allButLast':
      return text.slice(0, at);
    case 'last':
    case 'allButFirst':
      return text.slice(at + separator.length);
  }
}

/** Parts that come first when several mappings are recombined into one external field. */
export function partRank(take: SplitPart): number {
  return take === 'first' || take === 'allButLast' ? 0 : 1;
}

/** Outbound `{ split }`: the parts in order, blanks skipped; absent when every part is absent. */
export function recombine(parts: readonly unknown[], separator: string): unknown {
  let out: string | undefined;
  let seen = false;
  for (const part of parts) {
    if (part === undefined) continue;
    seen = true;
    if (part === null) continue;
    const text = textOf(part);
    if (text === undefined || isBlank(text)) continue;
    out = out === undefined ? text : `${out}${separator}${text}`;
  }
  return seen ? (out ?? null) : undefined;
}
