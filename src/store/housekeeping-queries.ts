import type { Kysely } from 'kysely';
import type { Pruned } from './housekeeping.ts';
import type { Tables } from './tables.ts';

/* Housekeeping on Kysely: the rows of growing tables older than a bound. Times are ISO 8601 text, so they compare. */

export async function prune(db: Kysely<Tables>, before: Date): Promise<Pruned> {
  const bound = before.toISOString();
  const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);
  const writes = await db.deleteFrom('write_history').where('at', '<', bound).executeTakeFirst();
  const settled = await db
    .deleteFrom('quarantine')
    .where('resolved_at', 'is not', null)
    .where('resolved_at', '<', bound)
    .executeTakeFirst();
  const runs = await db
    .deleteFrom('runs')
    .where('finished_at', 'is not', null)
    .where('finished_at', '<', bound)
    .executeTakeFirst();
  return { writes: count(writes), settled: count(settled), runs: count(runs) };
}
