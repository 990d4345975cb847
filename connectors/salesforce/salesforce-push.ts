import type { ConnectorError } from '../../src/connector/errors.ts';
import type { Write, WriteResult } from '../../src/connector/types.ts';
import type { Described } from './salesforce-describe.ts';
import { chunks, type Item, type Kind, lost, MAX_COLLECTION, sendAll } from './salesforce-push-batch.ts';
import { isSalesforceId, malformedId } from './salesforce-query.ts';
import { idsByValue } from './salesforce-records.ts';
import type { Session } from './salesforce-session.ts';

/**
 * Creates, updates and upserts through sObject collections in batches of 200 (allOrNone false). Upserts by an
 * external-id field use the upsert collection; upserts by any other unique field (Email) look the ids up with one
 * escaped query per batch, then update or create. Per-record failures are values; only row locks and transient
 * per-record errors are retried, so records that were written are never sent again.
 */
export async function pushWrites(
  session: Session,
  object: string,
  writes: readonly Write[],
): Promise<WriteResult[]> {
  const described = await session.describe.get(object);
  const results: (WriteResult | undefined)[] = new Array(writes.length);
  const updates: Item[] = [];
  const creates: Item[] = [];
  const byLookup = new Map<string, Item[]>();
  const byExternalId = new Map<string, Item[]>();
  writes.forEach((given, index) => {
    // An upsert keyed by Id is an update (Id is no external-id field, and SOQL would select it twice).
    const byId = given.upsertBy?.field.toLowerCase() === 'id';
    const write: Write = byId
      ? { ref: given.ref, id: given.upsertBy?.value ?? '', fields: given.fields }
      : given;
    if (write.id !== undefined && !isSalesforceId(write.id)) {
      results[index] = { ref: write.ref, ok: false, error: malformedId(write.id) };
      return;
    }
    const checked = checkFields(described, write);
    if ('error' in checked) {
      results[index] = { ref: write.ref, ok: false, error: checked.error };
      return;
    }
    const item: Item = { index, ref: write.ref, body: checked.body, ...keyOf(described, write) };
    if (write.id !== undefined) updates.push({ ...item, body: { ...item.body, Id: write.id } });
    else if (write.upsertBy && item.key && write.expectNew && !described.field(item.key.field)?.externalId) {
      // Known to be new: create at once; the key still settles a create whose answer is lost.
      creates.push(item);
    } else if (write.upsertBy && item.key) {
      const group = described.field(item.key.field)?.externalId ? byExternalId : byLookup;
      group.set(item.key.field, [...(group.get(item.key.field) ?? []), item]);
    } else creates.push(item);
  });
  for (const [field, items] of byLookup) {
    for (const batch of chunks(items, MAX_COLLECTION)) {
      const found = await idsByValue(
        session,
        described.name,
        field,
        batch.map((i) => i.key?.value ?? ''),
      );
      for (const item of batch) {
        const ids = found.get(item.key?.value.toLowerCase() ?? '') ?? [];
        if (ids.length > 1) {
          results[item.index] = {
            ref: item.ref,
            ok: false,
            error: {
              kind: 'conflict',
              code: 'DUPLICATE_VALUE',
              fields: [field],
              message: `${ids.length} ${described.name} records have this ${field}`,
            },
          };
        } else if (ids[0] !== undefined) updates.push({ ...item, body: { ...item.body, Id: ids[0] } });
        else creates.push(item);
      }
    }
  }
  const run = (kind: Kind, items: Item[]) => sendAll(session, described.name, kind, items, results);
  await run({ op: 'update' }, updates);
  for (const [field, items] of byExternalId) await run({ op: 'upsert', field }, items);
  await run({ op: 'create' }, creates);
  return results.map((r, i) => r ?? { ref: writes[i]?.ref ?? '', ok: false, error: lost() });
}

/** Field names checked against describe (canonical spelling); unknown or read-only fields fail the record. */
function checkFields(
  described: Described,
  write: Write,
): { body: Record<string, unknown> } | { error: ConnectorError } {
  const body: Record<string, unknown> = {};
  const unknown: string[] = [];
  const readOnly: string[] = [];
  const names = Object.keys(write.fields);
  if (write.upsertBy) names.push(write.upsertBy.field);
  for (const name of names) {
    const field = described.field(name);
    if (!field) unknown.push(name);
    else if (!(write.id === undefined ? field.createable || field.updateable : field.updateable))
      readOnly.push(field.name);
    else if (name in write.fields) body[field.name] = write.fields[name];
  }
  if (unknown.length > 0) {
    return {
      error: {
        kind: 'invalid',
        code: 'INVALID_FIELD',
        fields: unknown,
        message: `${described.name} has no field ${unknown.join(', ')}`,
      },
    };
  }
  if (readOnly.length > 0) {
    return {
      error: {
        kind: 'invalid',
        code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        fields: readOnly,
        message: `${described.name} fields not writable: ${readOnly.join(', ')}`,
      },
    };
  }
  if (write.upsertBy) body[described.checked(write.upsertBy.field)] = write.upsertBy.value;
  return { body };
}

/**
 * The unique key that finds this record again: the upsert key, else a person's e-mail, else a value of an
 * external-id field it carries (the other CRM's id, which `crm-bridge setup` makes a unique external id).
 */
function keyOf(described: Described, write: Write): { key?: { field: string; value: string } } {
  if (write.upsertBy)
    return { key: { field: described.checked(write.upsertBy.field), value: write.upsertBy.value } };
  const email = write.fields.Email;
  if (described.has('Email') && typeof email === 'string' && email !== '')
    return { key: { field: 'Email', value: email } };
  for (const [name, value] of Object.entries(write.fields))
    if (typeof value === 'string' && value !== '' && described.field(name)?.externalId)
      return { key: { field: described.checked(name), value } };
  return {};
}
