import { buildSelect, inList, isSalesforceId } from './salesforce-query.ts';
import type { Session } from './salesforce-session.ts';

/** Every page of a (small, internal) query's records, following nextRecordsUrl; `scanAll` is queryAll. */
export async function* queryRecords(
  session: Session,
  soql: string,
  options: { readonly scanAll?: boolean; readonly batchSize?: number } = {},
): AsyncGenerator<readonly Record<string, unknown>[]> {
  const query = {
    scanAll: options.scanAll ?? false,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  };
  let page = await session.call((c) => c.query(soql, query));
  for (;;) {
    yield page.records;
    if (page.done || !page.nextRecordsUrl) return;
    const next = page.nextRecordsUrl;
    page = await session.call((c) => c.queryMore(next));
  }
}

/**
 * Ids of live records by the lower-cased value of `field` (already checked against describe), with one escaped
 * `IN` query for the whole list: callers pass at most a batch (200) of values. For an id or reference field, values
 * that are no Salesforce id match nothing and are left out (Salesforce refuses the query for them).
 */
export async function idsByValue(
  session: Session,
  object: string,
  field: string,
  values: readonly string[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const type = (await session.describe.get(object)).field(field)?.type;
  const comparable = type === 'id' || type === 'reference' ? isSalesforceId : (v: string) => v !== '';
  const distinct = [...new Set(values.filter(comparable))];
  if (distinct.length === 0) return found;
  const soql = buildSelect({ object, fields: ['Id', field], where: [inList(field, distinct)] });
  for await (const records of queryRecords(session, soql)) {
    for (const r of records) {
      const key = String(r[field] ?? '').toLowerCase();
      found.set(key, [...(found.get(key) ?? []), String(r.Id)]);
    }
  }
  return found;
}
