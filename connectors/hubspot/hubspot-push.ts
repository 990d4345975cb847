import type { Write, WriteResult } from '../../src/connector/types.ts';
import { chunks, writeAssociations } from './hubspot-associations.ts';
import { BATCH_LIMIT, type BatchAction, type InputOutcome, sendBatch } from './hubspot-batch.ts';
import type { Call } from './hubspot-call.ts';
import type { WriteInput } from './hubspot-client.ts';
import { toHubSpotProperties } from './hubspot-values.ts';

export interface PushSettings {
  /** Send contact creates that carry an e-mail as upserts by e-mail. */
  readonly upsertContactsByEmail: boolean;
  /** Batches in flight at once. */
  readonly concurrency: number;
}

interface Planned {
  readonly index: number;
  readonly input: WriteInput;
}

/**
 * Writes in as few batch calls as HubSpot allows: updates by id, upserts by a unique property (contacts by
 * e-mail), creates; ≤ 100 inputs per call. HubSpot has no unique company domain, so a company "upserted" by
 * domain is looked up by a search on `domain` (the oldest match wins) and then updated or created; search is
 * eventually consistent, so two pushes of one new domain within seconds can still create two companies. Inputs
 * that repeat a key already in the same push are refused as conflicts (HubSpot would refuse the whole batch).
 * Associations are written after the records exist.
 */
export async function push(
  call: Call,
  type: string,
  writes: readonly Write[],
  settings: PushSettings,
): Promise<WriteResult[]> {
  const results: (WriteResult | undefined)[] = new Array(writes.length);
  const groups = new Map<string, { action: BatchAction; planned: Planned[] }>();
  const seen = new Map<string, number>();
  const add = (action: BatchAction, key: string, planned: Planned, unique?: string) => {
    if (unique !== undefined) {
      const first = seen.get(unique);
      if (first !== undefined) {
        results[planned.index] = {
          ref: writes[planned.index]?.ref ?? '',
          ok: false,
          error: {
            kind: 'conflict',
            message: `the same push already writes ${unique} (write ${writes[first]?.ref})`,
            code: 'DUPLICATE_IN_BATCH',
          },
        };
        return;
      }
      seen.set(unique, planned.index);
    }
    const group = groups.get(key) ?? { action, planned: [] };
    group.planned.push(planned);
    groups.set(key, group);
  };
  const byDomain: { index: number; domain: string; properties: Record<string, string> }[] = [];

  writes.forEach((write, index) => {
    const properties = toHubSpotProperties(write.fields);
    const objectWriteTraceId = String(index);
    if (write.id !== undefined) {
      add(
        'update',
        'update',
        { index, input: { id: write.id, objectWriteTraceId, properties } },
        `id ${write.id}`,
      );
    } else if (write.upsertBy && type === 'companies' && write.upsertBy.field === 'domain') {
      byDomain.push({ index, domain: write.upsertBy.value.trim().toLowerCase(), properties });
    } else if (write.upsertBy) {
      const { field, value } = write.upsertBy;
      const id = field === 'email' ? value.trim().toLowerCase() : value;
      add(
        'upsert',
        `upsert:${field}`,
        { index, input: { id, idProperty: field, objectWriteTraceId, properties } },
        `${field} ${id}`,
      );
    } else if (type === 'contacts' && settings.upsertContactsByEmail && properties.email) {
      const email = properties.email.trim().toLowerCase();
      add(
        'upsert',
        'upsert:email',
        { index, input: { id: email, idProperty: 'email', objectWriteTraceId, properties } },
        `email ${email}`,
      );
    } else {
      add('create', 'create', { index, input: { objectWriteTraceId, properties } });
    }
  });

  const found = await findCompaniesByDomain(
    call,
    byDomain.map((d) => d.domain),
  );
  for (const { index, domain, properties } of byDomain) {
    const objectWriteTraceId = String(index);
    const id = found.get(domain);
    const withDomain = { domain, ...properties };
    if (id)
      add(
        'update',
        'update',
        { index, input: { id, objectWriteTraceId, properties: withDomain } },
        `domain ${domain}`,
      );
    else
      add(
        'create',
        'create',
        { index, input: { objectWriteTraceId, properties: withDomain } },
        `domain ${domain}`,
      );
  }

  const jobs = [...groups.values()].flatMap(({ action, planned }) =>
    chunks(planned, BATCH_LIMIT).map((part) => ({ action, part })),
  );
  const outcomes = new Map<string, InputOutcome>();
  await pool(jobs, settings.concurrency, async ({ action, part }) => {
    const answer = await sendBatch(
      call,
      action,
      type,
      part.map((p) => p.input),
    );
    for (const [trace, outcome] of answer) outcomes.set(trace, outcome);
  });
  writes.forEach((write, index) => {
    if (results[index]) return;
    const outcome = outcomes.get(String(index));
    results[index] = !outcome
      ? { ref: write.ref, ok: false, error: { kind: 'unavailable', message: 'not written' } }
      : outcome.ok
        ? { ref: write.ref, ok: true, id: outcome.id, created: outcome.created }
        : { ref: write.ref, ok: false, error: outcome.error };
  });
  await associate(call, type, writes, results);
  return results as WriteResult[];
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
  results: (WriteResult | undefined)[],
) {
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
