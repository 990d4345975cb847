import { type Kysely, SqliteAdapter, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';

/**
 * Migrations, written once with Kysely's schema builder so both engines get the same tables. Append new ones;
 * never edit one that has shipped.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
      await db.schema
        .createTable('cursors')
        .addColumn('connection', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('modified_at', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('saved_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('cursors_pk', ['connection', 'object'])
        .execute();
      await db.schema
        .createTable('identities')
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('unified_id', 'text', (c) => c.notNull())
        .addColumn('connection', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('linked_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('identities_pk', ['connection', 'object', 'external_id'])
        .execute();
      await db.schema.createIndex('identities_unified').on('identities').column('unified_id').execute();
      await db.schema
        .createTable('match_keys')
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('unified_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('match_keys_pk', ['entity', 'key', 'value', 'unified_id'])
        .execute();
      await db.schema.createIndex('match_keys_unified').on('match_keys').column('unified_id').execute();
      await db.schema
        .createTable('written')
        .addColumn('connection', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('written_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('written_pk', ['connection', 'object', 'external_id'])
        .execute();
      await db.schema
        .createTable('provenance')
        .addColumn('unified_id', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('connection', 'text', (c) => c.notNull())
        .addColumn('modified_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('provenance_pk', ['unified_id', 'field'])
        .execute();
      await db.schema
        .createTable('quarantine')
        .addColumn('id', 'integer', (c) =>
          sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('connection', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('value', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema
        .createIndex('quarantine_record')
        .on('quarantine')
        .columns(['connection', 'object', 'external_id', 'field'])
        .unique()
        .execute();
      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('pair', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('summary', 'text')
        .execute();
      await db.schema.createIndex('runs_started').on('runs').column('started_at').execute();
    },
  },
  '0002_snapshots': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('snapshots')
        .addColumn('unified_id', 'text', (c) => c.primaryKey())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('synced_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0003_delete_checks': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('delete_checks')
        .addColumn('connection', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('cursor_at', 'text', (c) => c.notNull())
        .addColumn('checked_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('delete_checks_pk', ['connection', 'object'])
        .execute();
    },
  },
  '0004_round_state': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('round_state')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('saved_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('round_state_pk', ['run_id', 'key'])
        .execute();
      await db.schema.createIndex('round_state_saved').on('round_state').column('saved_at').execute();
    },
  },
  '0005_quarantine_kind': {
    async up(db: Kysely<unknown>) {
      // Entries made before field issues existed all held their record.
      await db.schema
        .alterTable('quarantine')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('held'))
        .execute();
    },
  },
  '0006_write_history': {
    async up(db: Kysely<unknown>) {
      const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
      await db.schema
        .createTable('write_history')
        .addColumn('id', 'integer', (c) =>
          sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('unified_id', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('connection', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('changes', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('write_history_record')
        .on('write_history')
        .columns(['unified_id', 'at'])
        .execute();
    },
  },
  '0007_approvals': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('approvals')
        .addColumn('unified_id', 'text', (c) => c.primaryKey())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // Pruning by age (sync.keep) finds old write history entries by their time.
  '0008_write_history_at': {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('write_history_at').on('write_history').column('at').execute();
    },
  },
  // When each cursor's pull began (the CRM's clock), where the next pull's overlap window is measured from;
  // cursors saved before it have none, and their next pull goes back from their newest change as before.
  '0009_cursor_pulled_at': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('cursors').addColumn('pulled_at', 'text').execute();
    },
  },
  // The round report's rows (src/store/round-report.ts): per round, the people as it began, the records it read and
  // those it acted on, counted with SQL once it commits and then dropped.
  '0010_round_report': {
    async up(db: Kysely<unknown>) {
      const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
      // On PostgreSQL the rows are unlogged: written without the write-ahead log, they cost a round a fraction of
      // logged rows. A crash of the database empties them all together (a round in flight then keeps no figures;
      // its records are not concerned).
      const table = (name: string) => {
        const create = db.schema.createTable(name);
        return sqlite ? create : create.modifyFront(sql`unlogged`);
      };
      // Each merged record's stage beside it, for the report to count people without reading their records.
      await db.schema.alterTable('snapshots').addColumn('stage', 'text').execute();
      const stage = sqlite
        ? sql`cast(json_extract(data, '$."lifecycleStage"') as text)`
        : sql`(data::json ->> 'lifecycleStage')`;
      await sql`update snapshots set stage = nullif(${stage}, '')`.execute(db);
      await table('report_runs')
        .addColumn('run_id', 'text', (c) => c.primaryKey())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .execute();
      // No key: each round's rows are written once, by one statement, and read whole. PostgreSQL joins them by
      // hashing; SQLite, which joins by looking rows up, gets an index.
      await table('report_before')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('connection', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('unified_id', 'text')
        .addColumn('stage', 'text')
        .addColumn('out_of_step', 'integer', (c) => c.notNull())
        .execute();
      if (sqlite)
        await db.schema
          .createIndex('report_before_record')
          .on('report_before')
          .columns(['run_id', 'connection', 'object', 'external_id'])
          .execute();
      await table('report_records')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('connection', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('entity', 'text')
        .addColumn('is_read', 'integer', (c) => c.notNull())
        .addColumn('staged', 'integer', (c) => c.notNull())
        .addColumn('stage', 'text')
        .addColumn('touched', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('report_records_pk', ['run_id', 'connection', 'object', 'external_id'])
        .execute();
    },
  },
  // A round's saved parts are read by key prefix as a range of the primary key (`src/store/round-state-queries.ts`),
  // which needs the keys compared byte by byte: SQLite's text already is; PostgreSQL's follows the database's
  // collation unless the column has its own.
  '0011_round_state_key_order': {
    async up(db: Kysely<unknown>) {
      if (db.getExecutor().adapter instanceof SqliteAdapter) return;
      await sql`alter table round_state alter column key type text collate "C"`.execute(db);
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the database to the latest schema; safe to run from several processes at once (Kysely locks). */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  // Kysely looks for its migration tables by name in any schema unless told which: with two deployments (or
  // tests) in one PostgreSQL database, it would find the other's and skip creating its own.
  const migrator = new Migrator({
    db,
    provider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`state store migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
