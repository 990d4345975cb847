import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { EntityName } from '../model/index.ts';
import type { ExternalKey } from './external-key.ts';
import { keyOf } from './external-key.ts';
import type { FunnelQuery, ReadCount, ReadMark, StagePair } from './round-report.ts';
import { NO_STAGE, NOT_IN_STEP, STAGE_FIELD } from './round-report.ts';
import { chunks, type Engine, now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';

/* The round report's rows on Kysely: one SQL text for both engines, but for reading a field of a snapshot. */

/**
 * A field of the snapshot `s` as text: the stage from its own column, any other read from the record in SQL, so that
 * no whole record is handed over to be parsed.
 */
function snapshotField(engine: Engine, field: string): RawBuilder<string | null> {
  if (field === STAGE_FIELD) return sql<string | null>`s.stage`;
  const path = field.split('.');
  return engine === 'postgres'
    ? sql<string | null>`(s.data::json #>> ${path})`
    : sql<string | null>`cast(json_extract(s.data, ${`$.${path.map((p) => `"${p}"`).join('.')}`}) as text)`;
}

/** Whether the record `alias` has an open quarantine entry that means `field` may not be in step there. */
function outOfStep(alias: string, entity: EntityName, field: string): RawBuilder<unknown> {
  const at = sql.ref(alias);
  return sql`exists (select 1 from quarantine q where q.connection = ${at}.connection and q.object = ${at}.object
    and q.external_id = ${at}.external_id and q.entity = ${entity} and q.resolved_at is null
    and (q.kind in ('held', 'refused') or q.field = ${field}))`;
}

/** The label of a stage value: a blank one is no stage. */
const label = (value: RawBuilder<unknown>) => sql`coalesce(nullif(${value}, ''), ${NO_STAGE})`;

export async function beginReport(
  db: Kysely<Tables>,
  engine: Engine,
  runId: string,
  entity: EntityName,
  field: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const begun = await trx
      .insertInto('report_runs')
      .values({ run_id: runId, started_at: now() })
      .onConflict((oc) => oc.column('run_id').doNothing())
      .executeTakeFirst();
    if (Number(begun.numInsertedOrUpdatedRows ?? 0) === 0) return;
    // Each link, with its person's stage as last synced and whether that CRM may hold another.
    await sql`insert into report_before (run_id, connection, object, external_id, unified_id, stage, out_of_step)
      select cast(${runId} as text), i.connection, i.object, i.external_id, i.unified_id, ${snapshotField(engine, field)},
        case when ${outOfStep('i', entity, field)} then 1 else 0 end
      from identities i left join snapshots s on s.unified_id = i.unified_id
      where i.entity = ${entity}`.execute(trx);
    // Records not linked (held before they were matched) whose stage is not in step either.
    await sql`insert into report_before (run_id, connection, object, external_id, unified_id, stage, out_of_step)
      select distinct cast(${runId} as text), o.connection, o.object, o.external_id, cast(null as text), cast(null as text), 1
      from quarantine o
      where o.entity = ${entity} and o.resolved_at is null and (o.kind in ('held', 'refused') or o.field = ${field})
        and not exists (select 1 from identities i where i.connection = o.connection and i.object = o.object
          and i.external_id = o.external_id)`.execute(trx);
  });
}

export async function reportBegun(db: Kysely<Tables>, runId: string): Promise<boolean> {
  const row = await db
    .selectFrom('report_runs')
    .select('run_id')
    .where('run_id', '=', runId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The last of each record in `items`: one statement may not touch a row twice. */
function lastOfEach<T extends ExternalKey>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item])).values()];
}

/** A row of `report_records` as a mark writes it. */
interface Mark extends ExternalKey {
  readonly entity: string | null;
  readonly read: 0 | 1;
  readonly staged: 0 | 1;
  readonly stage: string | null;
  readonly touched: 0 | 1;
}

/** What a mark of each kind changes in a record's row already there. */
const ON_CONFLICT = {
  read: sql`entity = excluded.entity, is_read = 1, staged = excluded.staged, stage = excluded.stage`,
  touched: sql`touched = 1`,
} as const;

/**
 * Writes marks of one kind, the last of each record. On PostgreSQL, one statement a call, its columns as arrays: a
 * statement of thousands of parameters costs more to build and parse than to run.
 */
async function mark(
  db: Kysely<Tables>,
  engine: Engine,
  runId: string,
  kind: keyof typeof ON_CONFLICT,
  marks: readonly Mark[],
): Promise<void> {
  const rows = lastOfEach(marks);
  if (rows.length === 0) return;
  const columns = sql`(run_id, connection, object, external_id, entity, is_read, staged, stage, touched)`;
  const upsert = sql`on conflict (run_id, connection, object, external_id) do update set ${ON_CONFLICT[kind]}`;
  if (engine === 'postgres') {
    const column = <T>(pick: (m: Mark) => T) => rows.map(pick);
    await sql`insert into report_records ${columns}
      select ${runId}, t.* from unnest(${column((m) => m.connection)}::text[], ${column((m) => m.object)}::text[],
        ${column((m) => m.externalId)}::text[], ${column((m) => m.entity)}::text[], ${column((m) => m.read)}::integer[],
        ${column((m) => m.staged)}::integer[], ${column((m) => m.stage)}::text[], ${column((m) => m.touched)}::integer[])
        as t ${upsert}`.execute(db);
    return;
  }
  for (const part of chunks(rows)) {
    const values = part.map(
      (m) =>
        sql`(${runId}, ${m.connection}, ${m.object}, ${m.externalId}, ${m.entity}, ${m.read}, ${m.staged}, ${m.stage}, ${m.touched})`,
    );
    await sql`insert into report_records ${columns} values ${sql.join(values)} ${upsert}`.execute(db);
  }
}

export function markRead(
  db: Kysely<Tables>,
  engine: Engine,
  runId: string,
  records: readonly ReadMark[],
): Promise<void> {
  return mark(
    db,
    engine,
    runId,
    'read',
    records.map((r) => ({
      ...r,
      read: 1,
      staged: r.stage === undefined ? 0 : 1,
      stage: r.stage ?? null,
      touched: 0,
    })),
  );
}

export function markTouched(
  db: Kysely<Tables>,
  engine: Engine,
  runId: string,
  keys: readonly ExternalKey[],
): Promise<void> {
  return mark(
    db,
    engine,
    runId,
    'touched',
    keys.map((k) => ({
      connection: k.connection,
      object: k.object,
      externalId: k.externalId,
      entity: null,
      read: 0,
      staged: 0,
      stage: null,
      touched: 1,
    })),
  );
}

/** Joins the report row of the round to the record `alias` (`r` for what the round read or acted on). */
const sameRecord = (alias: string, other: string) => {
  const [a, b] = [sql.ref(alias), sql.ref(other)];
  return sql`${a}.connection = ${b}.connection and ${a}.object = ${b}.object and ${a}.external_id = ${b}.external_id`;
};

/**
 * A candidate's place among a person's records in one CRM, as text that sorts the way `FunnelQuery.objects` ranks
 * them (read first, then the object listed later, then the greater id), followed by the separator and its stage: the
 * greatest of a person's candidates in a CRM is the one counted, with one aggregate and no sort of the records.
 */
function candidateKey(
  engine: Engine,
  query: FunnelQuery,
  alias: string,
  read: RawBuilder<unknown>,
  stage: RawBuilder<unknown>,
) {
  const at = sql.ref(alias);
  const rank =
    query.objects.length === 0
      ? sql`'000'`
      : sql`case ${sql.join(
          query.objects.map(
            (o, i) =>
              sql`when ${at}.connection = ${o.connection} and ${at}.object = ${o.object} then ${sql.lit(String(i + 1).padStart(3, '0'))}`,
          ),
          sql` `,
        )} else '000' end`;
  const separator = engine === 'postgres' ? sql`chr(1)` : sql`char(1)`;
  return sql`(case when ${read} then '1' else '0' end || ${rank} || ${at}.external_id || ${separator} || ${stage})`;
}

/** The stage of the greatest candidate key of a person in one CRM (null when the person is not there). */
function stageOfKey(engine: Engine, key: RawBuilder<unknown>): RawBuilder<string | null> {
  return engine === 'postgres'
    ? sql<string | null>`split_part(${key}, chr(1), 2)`
    : sql<string | null>`substr(${key}, instr(${key}, char(1)) + 1)`;
}

/**
 * People per pair of stages, from `candidates` (`connection, unified_id, key`: see `candidateKey`): each person's
 * greatest key in each CRM of the pair, one row per person, then counted per pair of stages.
 */
async function stagePairs(
  db: Kysely<Tables>,
  engine: Engine,
  candidates: RawBuilder<unknown>,
  query: FunnelQuery,
): Promise<StagePair[]> {
  const [a, b] = query.pair;
  // PostgreSQL compares the keys byte by byte whatever the database's collation.
  const key = engine === 'postgres' ? sql`c.key collate "C"` : sql`c.key`;
  const { rows } = await sql<{ a: string | null; b: string | null; people: number | string }>`
    with ${candidates},
    people as (
      select max(case when c.connection = ${a} then ${key} end) as a, max(case when c.connection = ${b} then ${key} end) as b
      from candidates c group by c.unified_id
    )
    select ${stageOfKey(engine, sql`a`)} as a, ${stageOfKey(engine, sql`b`)} as b, count(*) as people
    from people group by 1, 2`.execute(db);
  return rows.map((r) => ({ a: r.a, b: r.b, people: Number(r.people) }));
}

/**
 * On PostgreSQL, the counting queries of a round's report run with fresh statistics of its rows and of the people
 * (a round grows them faster than autovacuum looks: the planner would otherwise guess at a table of a million rows
 * from a few and loop over it where it should hash) and
 * with room to hash a million people in memory (`work_mem`, for this transaction alone).
 */
async function counting<T>(
  db: Kysely<Tables>,
  engine: Engine,
  count: (trx: Kysely<Tables>) => Promise<T>,
  analyze = true,
): Promise<T> {
  if (engine !== 'postgres') return count(db);
  if (analyze)
    for (const table of ['report_before', 'report_records', 'identities', 'snapshots'])
      await sql`analyze ${sql.table(table)}`.execute(db);
  return db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '128MB'`.execute(trx);
    // Their estimated cost is high enough for PostgreSQL to compile them first, which takes longer than they run.
    await sql`set local jit = off`.execute(trx);
    return count(trx);
  });
}

/**
 * Links made since this time may be the round's: when it began, less an hour for the clocks of the machines its
 * steps ran on (a link made before then is only looked at in vain).
 */
async function linkedSince(db: Kysely<Tables>, runId: string): Promise<string> {
  const run = await db
    .selectFrom('report_runs')
    .select('started_at')
    .where('run_id', '=', runId)
    .executeTakeFirst();
  if (run === undefined) throw new Error(`no report rows of round ${runId}: its report was not begun`);
  return new Date(Date.parse(run.started_at) - 3600_000).toISOString();
}

export async function reportFunnel(
  db: Kysely<Tables>,
  engine: Engine,
  runId: string,
  query: FunnelQuery,
): Promise<{ before: StagePair[]; after: StagePair[] }> {
  const { entity, field, pair } = query;
  const inPair = sql`(${pair[0]}, ${pair[1]})`;
  const read = sql`r.staged = 1`;
  // Before: what a record held when the round read it, else (for a person linked in that CRM as the round began)
  // what was last synced, or "not in step"; over the links as the round began and those it made: links made since
  // it began (`linkedSince`) whose record was not linked to that person then.
  const since = await linkedSince(db, runId);
  const before = sql`recent as (
      select unified_id from identities where entity = ${entity} and linked_at >= ${since}
    ),
    links as (
      select connection, object, external_id, unified_id, out_of_step, 1 as linked, stage from report_before
      where run_id = ${runId} and unified_id is not null and connection in ${inPair}
      union all
      select i.connection, i.object, i.external_id, i.unified_id, coalesce(k.out_of_step, 0),
        case when p.unified_id is null then 0 else 1 end, p.stage
      from identities i
      left join report_before k on k.run_id = ${runId} and ${sameRecord('k', 'i')}
      left join (
        select connection, unified_id, max(stage) as stage from report_before
        where run_id = ${runId} and unified_id in (select unified_id from recent)
        group by connection, unified_id
      ) p on p.connection = i.connection and p.unified_id = i.unified_id
      where i.entity = ${entity} and i.connection in ${inPair} and i.linked_at >= ${since}
        and (k.unified_id is null or k.unified_id <> i.unified_id)
    ),
    candidates as (
      select l.connection, l.unified_id, ${candidateKey(
        engine,
        query,
        'l',
        read,
        sql`case when ${read} then ${label(sql`r.stage`)}
          when l.out_of_step = 1 then ${NOT_IN_STEP} else ${label(sql`l.stage`)} end`,
      )} as key
      from links l
      left join report_records r on r.run_id = ${runId} and ${sameRecord('r', 'l')}
      where ${read} or l.linked = 1
    )`;
  // After: what was synced, but for a record not in step now: what the round read from it, else "not in step".
  const after = sql`candidates as (
      select i.connection, i.unified_id, ${candidateKey(
        engine,
        query,
        'i',
        read,
        sql`case when ${outOfStep('i', entity, field)} then
            case when ${read} then ${label(sql`r.stage`)} else ${NOT_IN_STEP} end
          else ${label(snapshotField(engine, field))} end`,
      )} as key
      from identities i
      left join snapshots s on s.unified_id = i.unified_id
      left join report_records r on r.run_id = ${runId} and ${sameRecord('r', 'i')}
      where i.entity = ${entity} and i.connection in ${inPair}
    )`;
  return counting(db, engine, async (trx) => ({
    before: await stagePairs(trx, engine, before, query),
    after: await stagePairs(trx, engine, after, query),
  }));
}

export async function reportReads(db: Kysely<Tables>, engine: Engine, runId: string): Promise<ReadCount[]> {
  // Counted right after the funnel, whose statistics stand. A record's person is looked up by its index, record by
  // record, and each of the person's records by its key: an IN list of every person acted on would be hashed only
  // while it fits in memory (rescanned per record when it does not), and a join inside the lookup lets SQLite scan
  // the round's rows for every record.
  const { rows } = await counting(
    db,
    engine,
    (trx) =>
      sql<{
        entity: string;
        connection: string;
        object: string;
        read: number | string;
        touched: number | string;
      }>`
    select r.entity, r.connection, r.object, count(*) as read,
      count(case when r.touched = 1 or exists (
        select 1 from identities a where a.unified_id = i.unified_id and exists (
          select 1 from report_records w where w.run_id = ${runId} and ${sameRecord('w', 'a')} and w.touched = 1)
      ) then 1 end) as touched
    from report_records r
    left join identities i on ${sameRecord('i', 'r')}
    where r.run_id = ${runId} and r.is_read = 1
    group by r.entity, r.connection, r.object`.execute(trx),
    false,
  );
  return rows.map((r) => ({
    entity: r.entity,
    connection: r.connection,
    object: r.object,
    read: Number(r.read),
    touched: Number(r.touched),
  }));
}

export async function dropReport(db: Kysely<Tables>, runId: string, staleBefore?: Date): Promise<void> {
  const stale = (staleBefore ?? new Date(0)).toISOString();
  const runs = db.selectFrom('report_runs').select('run_id').where('started_at', '<', stale);
  for (const table of ['report_before', 'report_records'] as const)
    await db
      .deleteFrom(table)
      .where((eb) => eb.or([eb('run_id', '=', runId), eb('run_id', 'in', runs)]))
      .execute();
  await db
    .deleteFrom('report_runs')
    .where((eb) => eb.or([eb('run_id', '=', runId), eb('started_at', '<', stale)]))
    .execute();
}
