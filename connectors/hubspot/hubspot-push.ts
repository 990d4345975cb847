import type { Write, WriteResult } from '../../src/connector/types.ts';
import { chunks, writeAssociations } from './hubspot-associations.ts';
import { BATCH_LIMIT, type InputOutcome, sendBatch } from './hubspot-batch.ts';
import type { Call } from './hubspot-call.ts';
import { PushPlan } from './hubspot-push-plan.ts';

export interface PushSettings {
  /** Send contact creates that carry an e-mail as upserts by e-mail. */
  readonly upsertContactsByEmail: boolean;
  /** Batches in flight at once. */
  readonly concurrency: number;
}

/** What a push reads of the portal, each fetched once per connector. */
export interface PortalFacts {
  /** Lifecycle stages in the portal's order. */
  lifecycleStages(): Promise<readonly string[]>;
  /** The properties of the pushed object whose values HubSpot keeps unique. */
  uniqueProperties(): Promise<ReadonlySet<string>>;
}

/**
 * Writes in as few batch calls as HubSpot allows: updates by id, upserts by a unique property (contacts by
 * e-mail), creates; ≤ 100 inputs per call. HubSpot has no unique company domain, so a company "upserted" by
 * domain is looked up by a search on `domain` (the oldest match wins) and then updated or created; search is
 * eventually consistent, so two pushes of one new domain within seconds can still create two companies. A company
 * the caller expects to be new (`expectNew`: it read every company and none has the domain) that carries a unique
 * value (the twin id) is created without the search, as an upsert by that value: searches are HubSpot's scarcest
 * call (4 a second), and a first sync of 10,000 accounts waited on 50 of them. Inputs
 * that repeat a key already in the same push are refused as conflicts (HubSpot would refuse the whole batch).
 * Associations are written after the records exist.
 *
 * Retries are safe for updates and upserts. HubSpot has no idempotency key for a plain create, so a create that
 * carries a value of a unique property (the other CRM's id, which `crm-bridge setup` makes unique) is sent as an
 * upsert by it: a retry after a lost answer (a timeout or reset after HubSpot wrote it) finds the record the first
 * attempt made. Only a create with no unique value at all can make a second record when retried.
 */
export async function push(
  call: Call,
  type: string,
  writes: readonly Write[],
  settings: PushSettings,
  portal: PortalFacts,
): Promise<WriteResult[]> {
  await clearEarlierStages(call, type, writes, () => portal.lifecycleStages());
  const plan = new PushPlan(type, writes, settings);
  // A contact's e-mail is upserted by as `upsertContactsByEmail` says, not as any unique property.
  const unique =
    plan.creates.length > 0 || plan.byDomain.length > 0
      ? new Set([...(await portal.uniqueProperties())].filter((name) => name !== 'email'))
      : new Set<string>();
  plan.createExpected(unique);
  plan.matchDomains(
    await findCompaniesByDomain(
      call,
      plan.byDomain.map((d) => d.domain),
    ),
  );
  plan.settleCreates(unique);
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
 * HubSpot ignores a lifecycle stage earlier (in the portal's order) than the one a record has, unless the stage is
 * cleared first: the writes that move one back, from what the caller read, get it cleared in a batch of their own.
 * The portal's order is read only when some write changes a stage the caller read.
 */
async function clearEarlierStages(
  call: Call,
  type: string,
  writes: readonly Write[],
  lifecycleStages: () => Promise<readonly string[]>,
): Promise<void> {
  const moves = writes.filter(
    (w) =>
      w.id !== undefined &&
      typeof w.fields.lifecyclestage === 'string' &&
      w.fields.lifecyclestage !== '' &&
      typeof w.held?.lifecyclestage === 'string',
  );
  if (moves.length === 0) return;
  const stages = await lifecycleStages();
  const rank = (value: unknown) => stages.indexOf(String(value));
  const back = moves.filter(
    (w) => rank(w.fields.lifecyclestage) >= 0 && rank(w.held?.lifecyclestage) > rank(w.fields.lifecyclestage),
  );
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
