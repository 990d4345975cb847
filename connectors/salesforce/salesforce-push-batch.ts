import type { ConnectorError } from '../../src/connector/errors.ts';
import type { WriteResult } from '../../src/connector/types.ts';
import type { SalesforceClient, SaveResult } from './salesforce-client.ts';
import { isAmbiguous, kindOf, recordError } from './salesforce-errors.ts';
import { idsByValue } from './salesforce-records.ts';
import { backoff, sleep } from './salesforce-retry.ts';
import type { Session } from './salesforce-session.ts';

/** sObject collections take at most 200 records per call. */
export const MAX_COLLECTION = 200;

/** A write ready to send: its position in the caller's list, and the record body with checked field names. */
export interface Item {
  /** Where the write sits in the caller's list (its result goes there). */
  readonly index: number;
  /** The caller's key for the write, echoed in its result. */
  readonly ref: string;
  /** The record as sent: checked field names, and `Id` for updates. */
  readonly body: Record<string, unknown>;
  /** A unique field whose value finds the record again if an answer is lost (upsert key, or Email). */
  readonly key?: { readonly field: string; readonly value: string };
}

export type Kind =
  | { readonly op: 'create' }
  | { readonly op: 'update' }
  | { readonly op: 'upsert'; readonly field: string };

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

export async function sendAll(
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
  const byField = Map.groupBy(
    pending.filter((i) => i.key),
    (i) => i.key?.field as string,
  );
  const settled = new Set<Item>();
  for (const [field, keyed] of byField) {
    const found = await idsByValue(
      session,
      object,
      field,
      keyed.map((i) => i.key?.value ?? ''),
    );
    for (const item of keyed) {
      const id = found.get(item.key?.value.toLowerCase() ?? '')?.[0];
      if (id === undefined) continue;
      results[item.index] = { ref: item.ref, ok: true, id, created: true };
      settled.add(item);
    }
  }
  return pending.filter((item) => !settled.has(item));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The error of a record no answer accounted for. */
export function lost(): ConnectorError {
  return { kind: 'unavailable', message: 'no result was returned for this record' };
}
