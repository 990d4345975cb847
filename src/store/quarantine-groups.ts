import type { QuarantineEntry } from './quarantine.ts';

/** Field issues of one field and value, across records: what an admin fixes once (usually in a value map). */
export interface FieldIssueGroup {
  readonly entity: string;
  readonly connection: string;
  readonly object: string;
  readonly field: string;
  readonly value: unknown;
  /** The first entry's reason; the others' differ at most in the record they name. */
  readonly reason: string;
  readonly count: number;
  /** The entries' numbers, for `crm-bridge replay --record`. */
  readonly ids: readonly number[];
}

/** The quarantine split the way an admin works through it: records held, writes refused, field issues grouped. */
export function sortQuarantine(entries: readonly QuarantineEntry[]): {
  held: QuarantineEntry[];
  refused: QuarantineEntry[];
  fieldIssues: FieldIssueGroup[];
} {
  const groups = new Map<string, FieldIssueGroup>();
  for (const e of entries) {
    if (e.kind !== 'field') continue;
    const key = JSON.stringify([e.entity, e.connection, e.object, e.field, e.value ?? null]);
    const group = groups.get(key);
    groups.set(
      key,
      group === undefined
        ? {
            entity: e.entity,
            connection: e.connection,
            object: e.object,
            field: e.field,
            value: e.value,
            reason: e.reason,
            count: 1,
            ids: [e.id],
          }
        : { ...group, count: group.count + 1, ids: [...group.ids, e.id] },
    );
  }
  return {
    held: entries.filter((e) => e.kind === 'held'),
    refused: entries.filter((e) => e.kind === 'refused'),
    fieldIssues: [...groups.values()].sort((a, b) => b.count - a.count),
  };
}

/** Open entries of one kind with one cause: the same field and value of the same object. */
export interface CauseGroup {
  /** A stable key of the cause, for links and forms. */
  readonly key: string;
  readonly kind: QuarantineEntry['kind'];
  readonly entity: string;
  readonly connection: string;
  readonly object: string;
  /** The unified field, or `*` when the whole record is concerned. */
  readonly field: string;
  readonly value: unknown;
  /** The first entry's reason. */
  readonly reason: string;
  readonly entries: readonly QuarantineEntry[];
}

/**
 * Entries grouped by cause (kind, record type, field and value), largest group first: one fix at the source or in
 * the config clears a whole group, so that is how an admin works through them.
 */
export function causeGroups(entries: readonly QuarantineEntry[]): CauseGroup[] {
  const groups = new Map<string, { head: QuarantineEntry; entries: QuarantineEntry[] }>();
  for (const e of entries) {
    const key = JSON.stringify([e.kind, e.entity, e.connection, e.object, e.field, e.value ?? null]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { head: e, entries: [e] });
    else group.entries.push(e);
  }
  return [...groups.entries()]
    .map(([key, { head, entries: members }]) => ({
      key,
      kind: head.kind,
      entity: head.entity,
      connection: head.connection,
      object: head.object,
      field: head.field,
      value: head.value,
      reason: head.reason,
      entries: members,
    }))
    .sort((a, b) => b.entries.length - a.entries.length);
}
