import type { Write, WriteResult } from '../../src/connector/types.ts';
import { chunks, writeAssociations } from './hubspot-associations.ts';
import { BATCH_LIMIT, type InputOutcome, sendBatch } from './hubspot-batch.ts';
import type { Call } from './hubspot-call.ts';
import { PushPlan } from './hubspot-push-plan.ts';
import { LIFECYCLE_STAGES } from './standard-options.ts';

export interface PushSettings {
  /** Send contact creates that carry an e-mail as upserts by e-mail. */
  readonly upsertContactsByEmail: boolean;
  /** Batches in flight at once. */
  readonly concurrency: number;
}

/**
 * Writes in as few batch calls as HubSpot allows: updates by id, upserts by a unique property (contacts by
 * e-mail), creates; ≤ 100 inputs per call. HubSpot has no unique company domain, so a company "upserted" by
 * domain is looked up by a search on `domain` (the oldest match wins) and then updated or created; search is
 * eventually consistent, so two pushes of one new domain within seconds can still create two companies. Inputs
 * that repeat a key already in the same push are refused as conflicts (HubSpot would refuse the whole batch).
 * Associations are written after the records exist.
 *
 * Retries are safe for updates and upserts. HubSpot has no idempotency key for a plain create, so a create of a
 * company, deal or lead whose answer was lost (a timeout or reset after HubSpot wrote it) and that is then
 * retried can make a second record; give such writes an `upsertBy` on a unique property to rule that out.
 */
export async function push(
  call: Call,
  type: string,
  writes: readonly Write[],
  settings: PushSettings,
): Promise<WriteResult[]> {
  await clearEarlierStages(call, type, writes);
  const plan = new PushPlan(type, writes, settings);
  plan.matchDomains(
    await findCompaniesByDomain(
      call,
      plan.byDomain.map((d) => d.domain),
    ),
  );
  const jobs = [...plan.groups.values()].flatMap(({ action, inputs }) =>
    chunks(inputs, BATCH_LIMIT).map((part) => ({ action, part })),
  );
  const outcomes = new Map<string, InputOutcome>();
  await pool(jobs, settings.concurrency, async ({ action, part }) => {
    for (const [trace, outcome] of await sendBatch(call, action, type, part)) outcomes.set(trace, outcome);
  });
  const results = writes.map((write, index): WriteResult => {
    const refused = plan.refused.get(index);
    if (refused) return { ref: write.ref, ok: false, error: refused };
    const outcome = outcomes.get(String(index));
    if (!outcome)
      return { ref: write.ref, ok: false, error: { kind: 'unavailable', message: 'not written' } };
    return outcome.ok
      ? { ref: write.ref, ok: true, id: outcome.id, created: outcome.created }
      : { ref: write.ref, ok: false, error: outcome.error };
  });
  await associate(call, type, writes, results);
  return results;
}

/**
 * HubSpot ignores a lifecycle stage earlier (in its order) than the one a record has, unless the stage is cleared
 * first: the writes that move one back, from what the caller read, get it cleared in a batch of their own. A
 * stage HubSpot does not list (a portal's own) is taken as it comes.
 */
async function clearEarlierStages(call: Call, type: string, writes: readonly Write[]): Promise<void> {
  const rank = (value: unknown) =>
    LIFECYCLE_STAGES.indexOf(String(value) as (typeof LIFECYCLE_STAGES)[number]);
  const back = writes.filter((w) => {
    const to = w.fields.lifecyclestage;
    const from = w.held?.lifecyclestage;
    if (w.id === undefined || typeof to !== 'string' || to === '' || typeof from !== 'string') return false;
    return rank(to) >= 0 && rank(from) > rank(to);
  });
  for (const part of chunks(back, BATCH_LIMIT)) {
    const inputs = part.map((w, i) => ({
      id: w.id as string,
      objectWriteTraceId: `clear-${i}`,
      properties: { lifecyclestage: '' },
    }));
    // A record the clear cannot reach is reported by the write that follows.
    await sendBatch(call, 'update', type, inputs);
  }
}

/** Ids of existing companies by lower-cased domain, one search per 100 domains; the oldest company wins. */
async function findCompaniesByDomain(call: Call, domains: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(domains)], BATCH_LIMIT)) {
    let after: string | undefined;
    do {
      const page = await call('search', (api) =>
        api.search('companies', {
          filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'IN', values: part }] }],
          sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
          properties: ['domain'],
          limit: 200,
          ...(after ? { after } : {}),
        }),
      );
      for (const row of page.results) {
        const domain = row.properties.domain?.toLowerCase();
        if (domain && !out.has(domain)) out.set(domain, row.id);
      }
      after = page.paging?.next?.after;
    } while (after !== undefined);
  }
  return out;
}

async function associate(
  call: Call,
  type: string,
  writes: readonly Write[],
  results: WriteResult[],
): Promise<void> {
  const links = writes.flatMap((write, index) => {
    const result = results[index];
    if (!result?.ok || !write.associate) return [];
    return Object.entries(write.associate).flatMap(([toType, ids]) =>
      ids.map((to) => ({ from: result.id, toType, to, index })),
    );
  });
  if (links.length === 0) return;
  const failed = await writeAssociations(call, type, links);
  for (const link of links) {
    const error = failed.get(link.from);
    const result = results[link.index];
    if (error && result?.ok) {
      results[link.index] = {
        ref: result.ref,
        ok: false,
        error: { ...error, message: `${type} ${result.id} was written, but ${error.message}` },
      };
    }
  }
}

/** Runs `work` over `items` with at most `size` in flight. */
async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}
