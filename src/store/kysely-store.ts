import { type Kysely, type SqlBool, sql } from 'kysely';
import type { Cursor } from '../connector/types.ts';
import type { EntityName } from '../model/index.ts';
import * as log from './run-log.ts';
import { chunks, isOneOf, now } from './sql-helpers.ts';
import {
  type DeleteCheck,
  type ExternalKey,
  type IdentityLink,
  keyOf,
  type NewQuarantineEntry,
  type QuarantineEntry,
  type RoundStateEntry,
  type RunRecord,
  type RunSummary,
  type Store,
} from './store.ts';
import type { Tables } from './tables.ts';

/** The Store on Kysely: the same queries serve SQLite and PostgreSQL. */
export class KyselyStore implements Store {
  readonly engine: 'sqlite' | 'postgres';
  readonly #db: Kysely<Tables>;

  constructor(db: Kysely<Tables>, engine: 'sqlite' | 'postgres') {
    this.#db = db;
    this.engine = engine;
  }

  async getCursor(connection: string, object: string): Promise<Cursor | undefined> {
    const row = await this.#db
      .selectFrom('cursors')
      .select(['modified_at', 'record_id'])
      .where('connection', '=', connection)
      .where('object', '=', object)
      .executeTakeFirst();
    return row && { modifiedAt: row.modified_at, id: row.record_id };
  }

  async saveCursor(connection: string, object: string, cursor: Cursor): Promise<void> {
    await this.#db
      .insertInto('cursors')
      .values({ connection, object, modified_at: cursor.modifiedAt, record_id: cursor.id, saved_at: now() })
      .onConflict((oc) =>
        oc.columns(['connection', 'object']).doUpdateSet((eb) => ({
          modified_at: eb.ref('excluded.modified_at'),
          record_id: eb.ref('excluded.record_id'),
          saved_at: eb.ref('excluded.saved_at'),
        })),
      )
      .execute();
  }

  async getDeleteCheck(connection: string, object: string): Promise<DeleteCheck | undefined> {
    const row = await this.#db
      .selectFrom('delete_checks')
      .select(['cursor_at', 'checked_at'])
      .where('connection', '=', connection)
      .where('object', '=', object)
      .executeTakeFirst();
    return row && { cursorAt: row.cursor_at, checkedAt: row.checked_at };
  }

  async saveDeleteCheck(connection: string, object: string, check: DeleteCheck): Promise<void> {
    await this.#db
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

  async findLinks(keys: readonly ExternalKey[]): Promise<Map<string, IdentityLink>> {
    const out = new Map<string, IdentityLink>();
    for (const part of chunks(keys)) {
      const rows = await this.#db.selectFrom('identities').selectAll().where(isOneOf(part)).execute();
      for (const row of rows) {
        const link = toLink(row);
        out.set(keyOf(link), link);
      }
    }
    return out;
  }

  async linksOf(unifiedIds: readonly string[]): Promise<IdentityLink[]> {
    const out: IdentityLink[] = [];
    for (const part of chunks(unifiedIds)) {
      const rows = await this.#db
        .selectFrom('identities')
        .selectAll()
        .where('unified_id', 'in', part)
        .execute();
      out.push(...rows.map(toLink));
    }
    return out;
  }

  async link(links: readonly IdentityLink[]): Promise<void> {
    const linkedAt = now();
    for (const part of chunks(links)) {
      await this.#db
        .insertInto('identities')
        .values(
          part.map((l) => ({
            entity: l.entity,
            unified_id: l.unifiedId,
            connection: l.connection,
            object: l.object,
            external_id: l.externalId,
            linked_at: linkedAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['connection', 'object', 'external_id']).doUpdateSet((eb) => ({
            unified_id: eb.ref('excluded.unified_id'),
            entity: eb.ref('excluded.entity'),
            linked_at: eb.ref('excluded.linked_at'),
          })),
        )
        .execute();
    }
  }

  async unlink(keys: readonly ExternalKey[]): Promise<void> {
    for (const part of chunks(keys)) {
      await this.#db.deleteFrom('identities').where(isOneOf(part)).execute();
    }
  }

  async hasLinks(connection: string, object: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('identities')
      .select('external_id')
      .where('connection', '=', connection)
      .where('object', '=', object)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async findByMatchKey(
    entity: EntityName,
    key: string,
    values: readonly string[],
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const part of chunks(values)) {
      const rows = await this.#db
        .selectFrom('match_keys')
        .select(['value', 'unified_id'])
        .where('entity', '=', entity)
        .where('key', '=', key)
        .where('value', 'in', part)
        .orderBy('unified_id')
        .execute();
      for (const row of rows) out.set(row.value, [...(out.get(row.value) ?? []), row.unified_id]);
    }
    return out;
  }

  async setMatchKeys(
    entity: EntityName,
    unifiedId: string,
    keys: Readonly<Record<string, readonly string[]>>,
  ): Promise<void> {
    await this.setMatchKeysMany(entity, [{ unifiedId, keys }]);
  }

  async setMatchKeysMany(
    entity: EntityName,
    entries: readonly {
      readonly unifiedId: string;
      readonly keys: Readonly<Record<string, readonly string[]>>;
    }[],
  ): Promise<void> {
    const byKey = new Map<string, { ids: string[]; rows: { value: string; unified_id: string }[] }>();
    for (const { unifiedId, keys } of entries) {
      for (const [key, values] of Object.entries(keys)) {
        const group = byKey.get(key) ?? { ids: [], rows: [] };
        group.ids.push(unifiedId);
        for (const value of new Set(values)) group.rows.push({ value, unified_id: unifiedId });
        byKey.set(key, group);
      }
    }
    // One transaction, a delete and an insert per chunk: a round sets keys for thousands of records at once.
    await this.#db.transaction().execute(async (trx) => {
      for (const [key, { ids, rows }] of byKey) {
        for (const part of chunks(ids)) {
          await trx
            .deleteFrom('match_keys')
            .where('entity', '=', entity)
            .where('key', '=', key)
            .where('unified_id', 'in', part)
            .execute();
        }
        for (const part of chunks(rows)) {
          await trx
            .insertInto('match_keys')
            .values(part.map((r) => ({ entity, key, ...r })))
            .execute();
        }
      }
    });
  }

  async writtenHashes(keys: readonly ExternalKey[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunks(keys)) {
      const rows = await this.#db.selectFrom('written').selectAll().where(isOneOf(part)).execute();
      for (const r of rows)
        out.set(keyOf({ connection: r.connection, object: r.object, externalId: r.external_id }), r.hash);
    }
    return out;
  }

  async saveWritten(entries: readonly (ExternalKey & { readonly hash: string })[]): Promise<void> {
    const writtenAt = now();
    for (const part of chunks(entries)) {
      await this.#db
        .insertInto('written')
        .values(
          part.map((e) => ({
            connection: e.connection,
            object: e.object,
            external_id: e.externalId,
            hash: e.hash,
            written_at: writtenAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['connection', 'object', 'external_id']).doUpdateSet((eb) => ({
            hash: eb.ref('excluded.hash'),
            written_at: eb.ref('excluded.written_at'),
          })),
        )
        .execute();
    }
  }

  async forgetWritten(keys: readonly ExternalKey[]): Promise<void> {
    for (const part of chunks(keys)) {
      await this.#db.deleteFrom('written').where(isOneOf(part)).execute();
    }
  }

  async provenance(unifiedId: string): Promise<Map<string, { connection: string; modifiedAt: string }>> {
    const rows = await this.#db
      .selectFrom('provenance')
      .selectAll()
      .where('unified_id', '=', unifiedId)
      .execute();
    return new Map(rows.map((r) => [r.field, { connection: r.connection, modifiedAt: r.modified_at }]));
  }

  async saveProvenance(
    unifiedId: string,
    fields: Readonly<Record<string, { readonly connection: string; readonly modifiedAt: string }>>,
  ): Promise<void> {
    const rows = Object.entries(fields).map(([field, p]) => ({
      unified_id: unifiedId,
      field,
      connection: p.connection,
      modified_at: p.modifiedAt,
    }));
    for (const part of chunks(rows)) {
      await this.#db
        .insertInto('provenance')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['unified_id', 'field']).doUpdateSet((eb) => ({
            connection: eb.ref('excluded.connection'),
            modified_at: eb.ref('excluded.modified_at'),
          })),
        )
        .execute();
    }
  }

  async snapshots(unifiedIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    for (const part of chunks(unifiedIds)) {
      const rows = await this.#db
        .selectFrom('snapshots')
        .select(['unified_id', 'data'])
        .where('unified_id', 'in', part)
        .execute();
      for (const row of rows) out.set(row.unified_id, JSON.parse(row.data) as Record<string, unknown>);
    }
    return out;
  }

  async saveSnapshots(
    entries: readonly { readonly unifiedId: string; readonly entity: EntityName; readonly data: object }[],
  ): Promise<void> {
    const syncedAt = now();
    for (const part of chunks(entries)) {
      await this.#db
        .insertInto('snapshots')
        .values(
          part.map((e) => ({
            unified_id: e.unifiedId,
            entity: e.entity,
            data: JSON.stringify(e.data),
            synced_at: syncedAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['unified_id']).doUpdateSet((eb) => ({
            data: eb.ref('excluded.data'),
            synced_at: eb.ref('excluded.synced_at'),
          })),
        )
        .execute();
    }
  }

  async quarantine(entries: readonly NewQuarantineEntry[], settled?: readonly ExternalKey[]): Promise<void> {
    if (settled !== undefined) await log.settleQuarantine(this.#db, settled, entries);
    await log.quarantine(this.#db, entries);
  }

  heldAmong(keys: readonly ExternalKey[]): Promise<Set<string>> {
    return log.heldAmong(this.#db, keys);
  }

  listQuarantine(options: { includeResolved?: boolean; limit?: number } = {}): Promise<QuarantineEntry[]> {
    return log.listQuarantine(this.#db, options);
  }

  resolveQuarantine(ids: readonly number[]): Promise<void> {
    return log.resolveQuarantine(this.#db, ids);
  }

  countQuarantine(): Promise<number> {
    return log.countQuarantine(this.#db);
  }

  async saveRoundState(runId: string, entries: readonly RoundStateEntry[]): Promise<void> {
    const savedAt = now();
    for (const part of chunks(entries, 100)) {
      await this.#db
        .insertInto('round_state')
        .values(
          part.map((e) => ({ run_id: runId, key: e.key, body: JSON.stringify(e.body), saved_at: savedAt })),
        )
        .onConflict((oc) =>
          oc.columns(['run_id', 'key']).doUpdateSet((eb) => ({
            body: eb.ref('excluded.body'),
            saved_at: eb.ref('excluded.saved_at'),
          })),
        )
        .execute();
    }
  }

  async roundState(runId: string, keyPrefix: string): Promise<RoundStateEntry[]> {
    const rows = await this.#db
      .selectFrom('round_state')
      .select(['key', 'body'])
      .where('run_id', '=', runId)
      .where(sql<SqlBool>`substr(key, 1, ${keyPrefix.length}) = ${keyPrefix}`)
      .orderBy('key')
      .execute();
    return rows.map((row) => ({ key: row.key, body: JSON.parse(row.body) as unknown }));
  }

  async dropRoundState(runId: string, staleBefore?: Date): Promise<void> {
    await this.#db
      .deleteFrom('round_state')
      .where((eb) =>
        staleBefore === undefined
          ? eb('run_id', '=', runId)
          : eb.or([eb('run_id', '=', runId), eb('saved_at', '<', staleBefore.toISOString())]),
      )
      .execute();
  }

  startRun(id: string, pair: string): Promise<void> {
    return log.startRun(this.#db, id, pair);
  }

  finishRun(id: string, status: 'succeeded' | 'failed', summary: RunSummary): Promise<void> {
    return log.finishRun(this.#db, id, status, summary);
  }

  listRuns(limit: number): Promise<RunRecord[]> {
    return log.listRuns(this.#db, limit);
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }
}

function toLink(row: Tables['identities']): IdentityLink {
  return {
    entity: row.entity as EntityName,
    unifiedId: row.unified_id,
    connection: row.connection,
    object: row.object,
    externalId: row.external_id,
  };
}
