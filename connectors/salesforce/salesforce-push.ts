import type { ConnectorError } from '../../src/connector/errors.ts';
import type { Write, WriteResult } from '../../src/connector/types.ts';
import type { SalesforceClient, SaveResult } from './salesforce-client.ts';
import type { Described } from './salesforce-describe.ts';
import { isAmbiguous, kindOf, recordError } from './salesforce-errors.ts';
import { buildSelect, inList } from './salesforce-query.ts';
import { backoff, sleep } from './salesforce-retry.ts';
import type { Session } from './salesforce-session.ts';

/** sObject collections take at most 200 records per call. */
export const MAX_COLLECTION = 200;

/** A write ready to send: its position in the caller's list, and the record body with checked field names. */
interface Item {
  readonly index: number;
  readonly ref: string;
  readonly body: Record<string, unknown>;
  /** A unique field whose value finds the record again if an answer is lost (upsert key, or Email). */
  readonly key?: { readonly field: string; readonly value: string };
}

type Kind =
  | { readonly op: 'create' }
  | { readonly op: 'update' }
  | { readonly op: 'upsert'; readonly field: string };

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
  writes.forEach((write, index) => {
    const checked = checkFields(described, write);
    if ('error' in checked) {
      results[index] = { ref: write.ref, ok: false, error: checked.error };
      return;
    }
    const item: Item = { index, ref: write.ref, body: checked.body, ...keyOf(described, write) };
    if (write.id !== undefined) updates.push({ ...item, body: { ...item.body, Id: write.id } });
    else if (write.upsertBy && item.key) {
      const group = described.field(item.key.field)?.externalId ? byExternalId : byLookup;
      group.set(item.key.field, [...(group.get(item.key.field) ?? []), item]);
    } else creates.push(item);
  });
  for (const [field, items] of byLookup) {
    for (const batch of chunks(items, MAX_COLLECTION)) {
      const found = await lookup(session, described.name, field, batch);
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

function lost(): ConnectorError {
  return { kind: 'unavailable', message: 'no result was returned for this record' };
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

/** The unique key that finds this record again: the upsert key, else a person's e-mail. */
function keyOf(described: Described, write: Write): { key?: { field: string; value: string } } {
  if (write.upsertBy)
    return { key: { field: described.checked(write.upsertBy.field), value: write.upsertBy.value } };
  const email = write.fields.Email;
  if (described.has('Email') && typeof email === 'string' && email !== '')
    return { key: { field: 'Email', value: email } };
  return {};
}

/** Ids of live records by the lower-cased value of `field`: one escaped query for a batch. */
async function lookup(
  session: Session,
  object: string,
  field: string,
  items: readonly Item[],
): Promise<Map<string, string[]>> {
  const values = [...new Set(items.map((i) => i.key?.value ?? '').filter((v) => v !== ''))];
  const found = new Map<string, string[]>();
  if (values.length === 0) return found;
  const soql = buildSelect({ object, fields: ['Id', field], where: [inList(field, values)] });
  let page = await session.call((c) => c.query(soql, { scanAll: false }));
  for (;;) {
    for (const r of page.records) {
      const key = String(r[field] ?? '').toLowerCase();
      found.set(key, [...(found.get(key) ?? []), String(r.Id)]);
    }
    if (page.done || !page.nextRecordsUrl) return found;
    const next = page.nextRecordsUrl;
    page = await session.call((c) => c.queryMore(next));
  }
}

function send(
  client: SalesforceClient,
  object: string,
  kind: Kind,
  items: readonly Item[],
): Promise<SaveResult[]> {
  const bodies = items.map((i) => i.body);
  if (kind.op === 'create') return client.create(object, bodies);
  if (kind.op === 'update') return client.update(object, bodies);
  return client.upsert(object, bodies, kind.field);
}

async function sendAll(
  session: Session,
  object: string,
  kind: Kind,
  items: Item[],
  results: (WriteResult | undefined)[],
): Promise<void> {
  for (const batch of chunks(items, MAX_COLLECTION)) await sendBatch(session, object, kind, batch, results);
}

/** One collection call, then again for the records that failed transiently (row locks), with backoff. */
async function sendBatch(
  session: Session,
  object: string,
  kind: Kind,
  batch: Item[],
  results: (WriteResult | undefined)[],
): Promise<void> {
  let pending = batch;
  for (let attempt = 0; pending.length > 0; attempt++) {
    let saved: SaveResult[];
    try {
      saved = await session.call(
        (c) => send(c, object, kind, pending),
        async (failure) => {
          // The lost answer may have created some records: find them by key rather than create them twice.
          if (kind.op === 'create' && isAmbiguous(failure))
            pending = await settleLost(session, object, pending, results);
        },
      );
    } catch (error) {
      const failure = session.fail(error);
      if (failure.kind === 'auth' || failure.retryable) throw failure;
      for (const item of pending)
        results[item.index] = {
          ref: item.ref,
          ok: false,
          error: {
            kind: failure.kind,
            message: failure.message,
            ...(failure.code ? { code: failure.code } : {}),
          },
        };
      return;
    }
    const retry: Item[] = [];
    pending.forEach((item, i) => {
      const result = saved[i];
      if (result?.success && result.id) {
        const created = kind.op === 'create' ? true : kind.op === 'update' ? false : result.created === true;
        results[item.index] = { ref: item.ref, ok: true, id: result.id, created };
        return;
      }
      const errors = result?.errors ?? [];
      const transient =
        errors.length > 0 && errors.every((e) => kindOf(e.statusCode ?? e.errorCode) === 'unavailable');
      if (transient && attempt + 1 < session.retry.attempts) retry.push(item);
      else {
        const first = errors[0];
        results[item.index] = {
          ref: item.ref,
          ok: false,
          error: first ? recordError(first, session.secrets()) : lost(),
        };
      }
    });
    pending = retry;
    if (pending.length > 0) await sleep(backoff(session.retry, attempt));
  }
}

/** After a lost create answer: records now found by their key count as created; the rest are sent again. */
async function settleLost(
  session: Session,
  object: string,
  pending: Item[],
  results: (WriteResult | undefined)[],
): Promise<Item[]> {
  const keyed = pending.filter((i) => i.key);
  if (keyed.length === 0) return pending;
  const field = keyed[0]?.key?.field as string;
  const found = await lookup(
    session,
    object,
    field,
    keyed.filter((i) => i.key?.field === field),
  );
  return pending.filter((item) => {
    const id = item.key?.field === field ? found.get(item.key.value.toLowerCase())?.[0] : undefined;
    if (id === undefined) return true;
    results[item.index] = { ref: item.ref, ok: true, id, created: true };
    return false;
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
