import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { EntityName } from '../model/index.ts';
import type { ExternalKey } from './external-key.ts';
import { keyOf } from './external-key.ts';
import type { FunnelQuery, ReadCount, ReadMark, StagePair } from './round-report.ts';
import { NO_STAGE, NOT_IN_STEP } from './round-report.ts';
import { chunks, now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';

/* The round report's rows on Kysely: one SQL text for both engines, but for reading a field of a snapshot. */

type Engine = 'sqlite' | 'postgres';

/** A field of the snapshot `s` as text, read in SQL so that no whole record is handed over to be parsed. */
function snapshotField(engine: Engine, field: string): RawBuilder<string | null> {
  const path = field.split('.');
  return engine === 'postgres'
    ? sql<string | null>`(s.data::jsonb #>> ${path})`
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

export async function markRead(
  db: Kysely<Tables>,
  runId: string,
  records: readonly ReadMark[],
): Promise<void> {
  for (const part of chunks(lastOfEach(records))) {
    await db
      .insertInto('report_records')
      .values(
        part.map((r) => ({
          run_id: runId,
          connection: r.connection,
          object: r.object,
          external_id: r.externalId,
          entity: r.entity,
          is_read: 1,
          staged: r.stage === undefined ? 0 : 1,
          stage: r.stage ?? null,
          touched: 0,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['run_id', 'connection', 'object', 'external_id']).doUpdateSet((eb) => ({
          entity: eb.ref('excluded.entity'),
          is_read: 1,
          staged: eb.ref('excluded.staged'),
          stage: eb.ref('excluded.stage'),
        })),
      )
      .execute();
  }
}

export async function markTouched(
  db: Kysely<Tables>,
  runId: string,
  keys: readonly ExternalKey[],
): Promise<void> {
  for (const part of chunks(lastOfEach(keys))) {
    await db
      .insertInto('report_records')
      .values(
        part.map((k) => ({
          run_id: runId,
          connection: k.connection,
          object: k.object,
          external_id: k.externalId,
          entity: null,
          is_read: 0,
          staged: 0,
          stage: null,
          touched: 1,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['run_id', 'connection', 'object', 'external_id']).doUpdateSet({ touched: 1 }),
      )
      .execute();
  }
}

/** Joins the report row of the round to the record `alias` (`r` for what the round read or acted on). */
const sameRecord = (alias: string, other: string) => {
  const [a, b] = [sql.ref(alias), sql.ref(other)];
  return sql`${a}.connection = ${b}.connection and ${a}.object = ${b}.object and ${a}.external_id = ${b}.external_id`;
};

/**
 * Per person, the stage each CRM of the pair holds, counted from `candidates` (`connection, unified_id, object,
 * external_id, was_read, stage`): one record per person and CRM (see `FunnelQuery.objects`), then people per pair
 * of stages.
 */
async function stagePairs(
  db: Kysely<Tables>,
  candidates: RawBuilder<unknown>,
  query: FunnelQuery,
): Promise<StagePair[]> {
  const [a, b] = query.pair;
  const rank =
    query.objects.length === 0
      ? sql`0`
      : sql`case ${sql.join(
          query.objects.map(
            (o, i) => sql`when c.connection = ${o.connection} and c.object = ${o.object} then ${sql.lit(i)}`,
          ),
          sql` `,
        )} else -1 end`;
  const { rows } = await sql<{ a: string | null; b: string | null; people: number | string }>`
    with ${candidates},
    ranked as (
      select c.connection, c.unified_id, c.stage, row_number() over (
        partition by c.connection, c.unified_id order by c.was_read desc, ${rank} desc, c.external_id desc) as n
      from candidates c where c.stage is not null
    ),
    people as (
      select unified_id, max(case when connection = ${a} then stage end) as a,
        max(case when connection = ${b} then stage end) as b
      from ranked where n = 1 group by unified_id
    )
    select a, b, count(*) as people from people group by a, b`.execute(db);
  return rows.map((r) => ({ a: r.a, b: r.b, people: Number(r.people) }));
}

export async function reportFunnel(
  db: Kysely<Tables>,
  engine: Engine,
  runId: string,
  query: FunnelQuery,
): Promise<{ before: StagePair[]; after: StagePair[] }> {
  const { entity, field, pair } = query;
  const inPair = sql`(${pair[0]}, ${pair[1]})`;
  // Before: what a record held when the round read it, else (for a person linked in that CRM as the round began)
  // what was last synced, or "not in step"; over the links as the round began and those it made.
  const before = sql`links as (
      select connection, object, external_id, unified_id from report_before
      where run_id = ${runId} and unified_id is not null and connection in ${inPair}
      union
      select connection, object, external_id, unified_id from identities
      where entity = ${entity} and connection in ${inPair}
    ),
    linked as (
      select connection, unified_id, max(stage) as stage from report_before
      where run_id = ${runId} and unified_id is not null group by connection, unified_id
    ),
    candidates as (
      select l.connection, l.unified_id, l.object, l.external_id, coalesce(r.staged, 0) as was_read,
        case when r.staged = 1 then ${label(sql`r.stage`)}
          when p.unified_id is not null then
            case when k.out_of_step = 1 then ${NOT_IN_STEP} else ${label(sql`p.stage`)} end
        end as stage
      from links l
      left join report_records r on r.run_id = ${runId} and ${sameRecord('r', 'l')}
      left join linked p on p.connection = l.connection and p.unified_id = l.unified_id
      left join report_before k on k.run_id = ${runId} and ${sameRecord('k', 'l')}
    )`;
  // After: what was synced, but for a record not in step now: what the round read from it, else "not in step".
  const after = sql`candidates as (
      select i.connection, i.unified_id, i.object, i.external_id, coalesce(r.staged, 0) as was_read,
        case when ${outOfStep('i', entity, field)} then
            case when r.staged = 1 then ${label(sql`r.stage`)} else ${NOT_IN_STEP} end
          else ${label(snapshotField(engine, field))}
        end as stage
      from identities i
      left join snapshots s on s.unified_id = i.unified_id
      left join report_records r on r.run_id = ${runId} and ${sameRecord('r', 'i')}
      where i.entity = ${entity} and i.connection in ${inPair}
    )`;
  return { before: await stagePairs(db, before, query), after: await stagePairs(db, after, query) };
}

export async function reportReads(db: Kysely<Tables>, runId: string): Promise<ReadCount[]> {
  const { rows } = await sql<{
    entity: string;
    connection: string;
    object: string;
    read: number | string;
    touched: number | string;
  }>`
    with touched_people as (
      select distinct i.unified_id from report_records r join identities i on ${sameRecord('i', 'r')}
      where r.run_id = ${runId} and r.touched = 1
    )
    select r.entity, r.connection, r.object, count(*) as read,
      count(case when r.touched = 1 or t.unified_id is not null then 1 end) as touched
    from report_records r
    left join identities i on ${sameRecord('i', 'r')}
    left join touched_people t on t.unified_id = i.unified_id
    where r.run_id = ${runId} and r.is_read = 1
    group by r.entity, r.connection, r.object`.execute(db);
  return rows.map((r) => ({
    entity: r.entity,
    connection: r.connection,
    object: r.object,
    read: Number(r.read),
    touched: Number(r.touched),
  }));
}

export async function dropReport(db: Kysely<Tables>, runId: string, staleBefore?: Date): Promise<void> {
  const runs = db
    .selectFrom('report_runs')
    .select('run_id')
    .where('started_at', '<', (staleBefore ?? new Date(0)).toISOString());
  for (const table of ['report_before', 'report_records'] as const)
    await db
      .deleteFrom(table)
      .where((eb) => eb.or([eb('run_id', '=', runId), eb('run_id', 'in', runs)]))
      .execute();
  await db
    .deleteFrom('report_runs')
    .where((eb) =>
      eb.or([eb('run_id', '=', runId), eb('started_at', '<', (staleBefore ?? new Date(0)).toISOString())]),
    )
    .execute();
}
