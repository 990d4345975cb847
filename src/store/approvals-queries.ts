import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Approval, ApprovalDecision, Proposal } from './approvals.ts';
import { chunks, type Engine, now } from './sql-helpers.ts';
import type { Tables } from './tables.ts';

/* Reps' decisions on proposed conversions, on Kysely. */

/** A top-level field of a snapshot's JSON, read in SQL so that no whole record is handed over to be parsed. */
function snapshotField(engine: Engine, field: string): RawBuilder<string | null> {
  return engine === 'postgres'
    ? sql<string | null>`(snapshots.data::jsonb ->> ${field})`
    : sql<string | null>`json_extract(snapshots.data, ${`$.${field}`})`;
}

export async function recordApproval(
  db: Kysely<Tables>,
  unifiedId: string,
  decision: ApprovalDecision,
  decidedAt = now(),
): Promise<void> {
  await db
    .insertInto('approvals')
    .values({ unified_id: unifiedId, decision, decided_at: decidedAt })
    .onConflict((oc) => oc.column('unified_id').doUpdateSet({ decision, decided_at: decidedAt }))
    .execute();
}

export async function approvalsOf(
  db: Kysely<Tables>,
  unifiedIds: readonly string[],
): Promise<Map<string, Approval>> {
  const out = new Map<string, Approval>();
  for (const part of chunks([...new Set(unifiedIds)])) {
    const rows = await db.selectFrom('approvals').selectAll().where('unified_id', 'in', part).execute();
    for (const r of rows)
      out.set(r.unified_id, {
        unifiedId: r.unified_id,
        decision: r.decision as ApprovalDecision,
        decidedAt: r.decided_at,
      });
  }
  return out;
}

/**
 * The people a rep decided on whose record still says proposed. Read from the decisions, then their records by key:
 * joined in one statement, PostgreSQL could choose to read every person's record (and parse its JSON) to find the
 * few decided on, each time a slice of people is planned.
 */
export async function pendingApprovals(db: Kysely<Tables>, engine: Engine): Promise<string[]> {
  const decided = await db.selectFrom('approvals').select('unified_id').orderBy('unified_id').execute();
  const out: string[] = [];
  for (const part of chunks(decided.map((r) => r.unified_id))) {
    const rows = await db
      .selectFrom('snapshots')
      .select('unified_id')
      .where('unified_id', 'in', part)
      .where(snapshotField(engine, 'conversionProposal'), '=', 'proposed')
      .execute();
    out.push(...rows.map((r) => r.unified_id));
  }
  return out.sort();
}

export async function proposals(db: Kysely<Tables>, engine: Engine, limit: number): Promise<Proposal[]> {
  const rows = await db
    .selectFrom('snapshots')
    .select(['unified_id', 'data'])
    .where('entity', '=', 'person')
    .where(snapshotField(engine, 'conversionProposal'), '=', 'proposed')
    .orderBy(snapshotField(engine, 'conversionProposedAt'))
    .orderBy('unified_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    unifiedId: r.unified_id,
    person: JSON.parse(r.data) as Record<string, unknown>,
  }));
}
