import type { ConnectorError } from '../connector/errors.ts';
import type { EntityName } from '../model/index.ts';
import type { ExternalKey, NewQuarantineEntry, QuarantineKind } from '../store/index.ts';
import type { PlannedWrite } from './plan-types.ts';

/*
 * Every quarantine entry a round makes is built here, so that each kind says the same things the same way: a
 * record held before anything was written, a write the target refused, a field left out of a record that synced.
 */

/** The whole record, in an entry's `field`. */
export const WHOLE_RECORD = '*';

function entry(
  kind: QuarantineKind,
  entity: EntityName,
  at: ExternalKey,
  field: string,
  value: unknown,
  reason: string,
): NewQuarantineEntry {
  return {
    entity,
    kind,
    connection: at.connection,
    object: at.object,
    externalId: at.externalId,
    field,
    value,
    reason,
  };
}

/** A record set aside before anything was written: it still counts for matching, nothing is written from it. */
export const held = (entity: EntityName, at: ExternalKey, field: string, value: unknown, reason: string) =>
  entry('held', entity, at, field, value, reason);

/** A field of a record that synced without it. */
export const fieldIssue = (
  entity: EntityName,
  at: ExternalKey,
  field: string,
  value: unknown,
  reason: string,
) => entry('field', entity, at, field, value, reason);

/** A record something was refused for (a write, a conversion, a delete); tried again when it next changes. */
export const refused = (entity: EntityName, at: ExternalKey, field: string, value: unknown, reason: string) =>
  entry('refused', entity, at, field, value, reason);

/**
 * The record a planned write's problems are reported against: the target for an update, and for a create the
 * record the values came from (the target has none yet), so an admin finds it where it can be fixed.
 */
export function reportedAt(w: PlannedWrite): ExternalKey {
  return w.create && w.source
    ? w.source
    : { connection: w.connection, object: w.object, externalId: w.write.id ?? w.unifiedId };
}

/** A provider's error as a reason: its kind, its code when there is one, its message. */
export const errorText = (error: ConnectorError): string =>
  `${error.kind}${error.code ? ` ${error.code}` : ''}: ${error.message}`;

/** A planned write the target refused, reported against `reportedAt`, naming the field when the error does. */
export function refusedWrite(
  entity: EntityName,
  w: PlannedWrite,
  reason: string,
  fields?: readonly string[],
) {
  const action = w.create ? `creating ${w.connection} ${w.object}: ` : '';
  return refused(
    entity,
    reportedAt(w),
    fields?.join(', ') || WHOLE_RECORD,
    fields?.length === 1 ? w.write.fields[fields[0] as string] : undefined,
    `${action}${reason}`,
  );
}
