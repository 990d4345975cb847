import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { Write, WriteResult } from '../../src/connector/types.ts';
import type { Call } from './pipedrive-call.ts';
import type { ObjectFields } from './pipedrive-describe.ts';
import { toBody } from './pipedrive-records.ts';
import type { PipedriveObject } from './standard-fields.ts';

/** The search `fields=` value that finds a record by this key, by object; undefined when search cannot. */
function searchField(object: PipedriveObject, key: string, custom: boolean): string | undefined {
  if (custom) return 'custom_fields';
  const standard: Readonly<Record<PipedriveObject, readonly string[]>> = {
    persons: ['email', 'phone', 'name'],
    organizations: ['name', 'address'],
    deals: ['title'],
    leads: ['title'],
  };
  return standard[object].includes(key) ? key : undefined;
}

/** How a push runs. */
export interface PushSettings {
  /** Writes in flight at once. */
  readonly concurrency: number;
  /** How long Pipedrive's search index may trail a write: a lost create is looked for again after it. */
  readonly searchLagMs: number;
}

/** How many lost create answers one write looks past before it gives up as `unavailable`. */
const MAX_LOST_ANSWERS = 5;

/** A failure that belongs to one record (refused, missing, ambiguous); anything else stops the push. */
const perRecord = (error: unknown): error is ConnectorFailure =>
  error instanceof ConnectorFailure &&
  (error.kind === 'invalid' || error.kind === 'not-found' || error.kind === 'conflict');

/**
 * Writes records one call each (Pipedrive has no batch write), `settings.concurrency` at a time, every call paced by the
 * burst budget. An update goes by id; an upsert looks its key up with an exact search first (a retried write then
 * finds what the first attempt made) unless the caller knows the record is new, and when a create's answer is lost
 * it looks again before creating again, so a record is never made twice. Refusals, missing records and
 * ambiguous keys are results; an auth failure or an API that stays down throws.
 */
export async function push(
  call: Call,
  object: PipedriveObject,
  fields: ObjectFields,
  writes: readonly Write[],
  settings: PushSettings,
): Promise<WriteResult[]> {
  const results = new Array<WriteResult>(writes.length);
  let next = 0;
  const worker = async () => {
    while (next < writes.length) {
      const index = next++;
      const write = writes[index] as Write;
      results[index] = await writeOne(call, object, fields, write, settings);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(settings.concurrency, writes.length)) }, worker),
  );
  return results;
}

async function writeOne(
  call: Call,
  object: PipedriveObject,
  fields: ObjectFields,
  write: Write,
  settings: PushSettings,
): Promise<WriteResult> {
  const built = toBody(object, write.fields, fields, write.associate);
  if ('error' in built) return { ref: write.ref, ok: false, error: built.error };
  try {
    // A create whose answer was lost may have been made: with a key to find it by, look before creating again.
    for (let attempt = 0; ; attempt++) {
      let id = write.id;
      if (id === undefined && write.upsertBy && (!write.expectNew || attempt > 0)) {
        id = await lookUp(call, object, fields, write.upsertBy);
        if (id === undefined && attempt > 0) {
          // The lost attempt may have made the record too recently for the search index to show it.
          await sleep(settings.searchLagMs);
          id = await lookUp(call, object, fields, write.upsertBy);
        }
      }
      if (id !== undefined) {
        const target = id;
        const updated = await call((api) => api.update(object, target, built.body));
        return { ref: write.ref, ok: true, id: String(updated.id), created: attempt > 0 };
      }
      try {
        const created = await call((api) => api.create(object, built.body), {
          creates: write.upsertBy !== undefined,
        });
        return { ref: write.ref, ok: true, id: String(created.id), created: true };
      } catch (error) {
        if (
          !(error instanceof ConnectorFailure && error.code === 'ANSWER_LOST') ||
          attempt >= MAX_LOST_ANSWERS
        )
          throw error;
      }
    }
  } catch (error) {
    if (!perRecord(error)) throw error;
    return {
      ref: write.ref,
      ok: false,
      error: {
        kind: error.kind,
        message: error.message,
        ...(error.code !== undefined ? { code: error.code } : {}),
        ...(error.fields !== undefined ? { fields: error.fields } : {}),
      },
    };
  }
}

/** The id of the one record whose `field` is `value`; undefined when none; a conflict when several. */
async function lookUp(
  call: Call,
  object: PipedriveObject,
  fields: ObjectFields,
  key: { readonly field: string; readonly value: string },
): Promise<string | undefined> {
  const resolved = fields.keyOf(key.field);
  const by = searchField(object, resolved, resolved !== key.field || /^[0-9a-f]{40}$/.test(resolved));
  if (by === undefined) {
    throw new ConnectorFailure({
      kind: 'invalid',
      message: `Pipedrive cannot find ${object} by ${key.field}: upsert by ${object === 'persons' ? 'email, phone, name' : object === 'organizations' ? 'name, address' : 'title'} or a text custom field`,
      fields: [key.field],
    });
  }
  const ids = await call((api) => api.search(object, by, key.value));
  if (ids.length > 1) {
    throw new ConnectorFailure({
      kind: 'conflict',
      message: `${ids.length} ${object} have ${key.field} "${key.value}" (ids ${ids.slice(0, 5).join(', ')}): merge them in Pipedrive`,
      code: 'DUPLICATE',
      fields: [key.field],
    });
  }
  return ids[0];
}
