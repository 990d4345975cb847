/**
 * Field-level merge of one unified record seen from several connections, applying each field's sync rule.
 *
 * It is a three-way merge: `base` is what crm-bridge last synced for this record (its snapshot), and a side
 * "changed" a field when its value differs from the base. Without a base (first sync), every side that has a
 * value counts as changed. Sides that were not pulled this round are simply absent: they changed nothing.
 */

import { isMissing } from '../model/blank.ts';

/** The values of one side of a record, by unified field path, as mapped from that connection. */
export interface Side {
  readonly connection: string;
  /** When the record last changed in that system. */
  readonly modifiedAt: string;
  readonly values: Readonly<Record<string, unknown>>;
  /** Per-field change times where the CRM reports them (finer than `modifiedAt`). */
  readonly fieldModifiedAt?: Readonly<Record<string, string>>;
}

/** A field to merge and its rule (`two-way`, `prefer:<c>`, `always:<c>`, `one-way:<a>-><b>`, `none`, `policy`). */
export interface FieldRule {
  readonly field: string;
  readonly rule: string;
}

export interface MergeResult {
  /** The merged values by field path (fields no side or base has are absent). */
  readonly values: Record<string, unknown>;
  /** The connection whose value won, for fields some side changed. */
  readonly winners: Record<string, string>;
  /** Fields both sides changed to different values, and who won. */
  readonly conflicts: { field: string; winner: string; values: Record<string, unknown> }[];
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isMissing(a) && isMissing(b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function changeTime(side: Side, field: string): number {
  return Date.parse(side.fieldModifiedAt?.[field] ?? side.modifiedAt);
}

/**
 * Merges `sides` over `base` field by field. `order` is the pair's connection order: it breaks exact ties, so
 * the result never depends on the order sides were pulled in.
 */
export function mergeRecord(
  rules: readonly FieldRule[],
  base: Readonly<Record<string, unknown>> | undefined,
  sides: readonly Side[],
  order: readonly string[],
): MergeResult {
  const values: Record<string, unknown> = {};
  const winners: Record<string, string> = {};
  const conflicts: MergeResult['conflicts'] = [];
  const rank = (c: string) => {
    const i = order.indexOf(c);
    return i === -1 ? order.length : i;
  };
  const sorted = [...sides].sort((a, b) => rank(a.connection) - rank(b.connection));

  for (const { field, rule } of rules) {
    const present = sorted.filter((s) => field in s.values);
    const baseValue = base?.[field];
    const changed: Side[] = present.filter((s) =>
      base === undefined ? !isMissing(s.values[field]) : !sameValue(s.values[field], baseValue),
    );
    const take = (side: Side) => {
      values[field] = side.values[field];
      winners[field] = side.connection;
    };
    const keepBase = () => {
      if (base !== undefined && field in base) values[field] = baseValue;
      else if (present[0]) values[field] = present[0].values[field];
    };

    let candidates = changed;
    const owner = ownerOf(rule);
    if (owner !== undefined) {
      // always:<c>: that side is the source of truth, blank or not. one-way:<c>-><d>: its value flows when it
      // has one; a blank there never erases the other side.
      const side = present.find((s) => s.connection === owner);
      const oneWay = rule.startsWith('one-way:');
      if (side && !(oneWay && isMissing(side.values[field]))) take(side);
      else if (oneWay && side) {
        const other = present.find((s) => s !== side && !isMissing(s.values[field]));
        if (other) take(other);
        else keepBase();
      } else keepBase();
      continue;
    }
    if (rule.startsWith('prefer:')) {
      // The preferred side's current value wins unless blank; unpulled, its current value is the base.
      const preferred = present.find((s) => s.connection === rule.slice('prefer:'.length));
      const current = preferred ? preferred.values[field] : baseValue;
      if (!isMissing(current)) {
        if (preferred) take(preferred);
        else keepBase();
        continue;
      }
      // Blank on the preferred side never erases: the other sides decide.
      candidates = changed.filter((side) => side !== preferred);
    }
    // two-way (also `none` and `policy`, whose merged value only informs: they are never written from here).
    if (candidates.length === 0) keepBase();
    else if (
      candidates.length === 1 ||
      candidates.every((s) => sameValue(s.values[field], candidates[0]?.values[field]))
    ) {
      take(candidates[0] as Side);
    } else {
      const newest = candidates.reduce((best, s) =>
        changeTime(s, field) > changeTime(best, field) ? s : best,
      );
      take(newest);
      conflicts.push({
        field,
        winner: newest.connection,
        values: Object.fromEntries(candidates.map((s) => [s.connection, s.values[field]])),
      });
    }
  }
  return { values, winners, conflicts };
}

/** The connection that owns a field under `always:<c>` or `one-way:<c>-><d>`, else undefined. */
function ownerOf(rule: string): string | undefined {
  if (rule.startsWith('always:')) return rule.slice('always:'.length);
  if (rule.startsWith('one-way:')) return rule.slice('one-way:'.length).split('->')[0];
  return undefined;
}
