import type { Kysely } from 'kysely';
import type { Cursor } from '../connector/types.ts';
import type { DeleteCheck } from './checkpoints.ts';
import { now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';

/* Checkpoints on Kysely: cursors and delete scans, one row per connection and object. */

/** Where the last pull of a connection's object got to. */
export async function getCursor(
  db: Kysely<Tables>,
  connection: string,
  object: string,
): Promise<Cursor | undefined> {
  const row = await db
    .selectFrom('cursors')
    .select(['modified_at', 'record_id', 'pulled_at'])
    .where('connection', '=', connection)
    .where('object', '=', object)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const cursor = { modifiedAt: row.modified_at, id: row.record_id };
  return row.pulled_at === null ? cursor : { ...cursor, pulledAt: row.pulled_at };
}

/** Moves a connection's object's cursor. */
export async function saveCursor(
  db: Kysely<Tables>,
  connection: string,
  object: string,
  cursor: Cursor,
): Promise<void> {
  await db
    .insertInto('cursors')
    .values({
      connection,
      object,
      modified_at: cursor.modifiedAt,
      record_id: cursor.id,
      saved_at: now(),
      pulled_at: cursor.pulledAt ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['connection', 'object']).doUpdateSet((eb) => ({
        modified_at: eb.ref('excluded.modified_at'),
        record_id: eb.ref('excluded.record_id'),
        saved_at: eb.ref('excluded.saved_at'),
        pulled_at: eb.ref('excluded.pulled_at'),
      })),
    )
    .execute();
}

/** Where an object's delete scan got to, and when it last ran. */
export async function getDeleteCheck(
  db: Kysely<Tables>,
  connection: string,
  object: string,
): Promise<DeleteCheck | undefined> {
  const row = await db
    .selectFrom('delete_checks')
    .select(['cursor_at', 'checked_at'])
    .where('connection', '=', connection)
    .where('object', '=', object)
    .executeTakeFirst();
  return row && { cursorAt: row.cursor_at, checkedAt: row.checked_at };
}

/** Replaces an object's delete scan state. */
export async function saveDeleteCheck(
  db: Kysely<Tables>,
  connection: string,
  object: string,
  check: DeleteCheck,
): Promise<void> {
  await db
    .insertInto('delete_checks')
    .values({ connection, object, cursor_at: check.cursorAt, checked_at: check.checkedAt })
    .onConflict((oc) =>
      oc.columns(['connection', 'object']).doUpdateSet((eb) => ({
        cursor_at: eb.ref('excluded.cursor_at'),
        checked_at: eb.ref('excluded.checked_at'),
      })),
    )
    .execute();
}
