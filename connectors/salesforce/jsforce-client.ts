import type { Connection } from 'jsforce';
import type { LeadConvertRequest, SalesforceClient } from './salesforce-client.ts';
import { parse } from './salesforce-responses.ts';

/** jsforce's names of Metadata API types (CustomField, PermissionSet, …). */
type MetadataType = Parameters<Connection['metadata']['create']>[0];

/**
 * Adapts a real jsforce Connection to the connector's narrow client. Collections are sent one call at a time
 * (no `allowRecursive`): the connector chunks, so that it can retry each chunk on its own.
 */
export function jsforceClient(conn: Connection): SalesforceClient {
  const collection = { allOrNone: false, allowRecursive: false } as const;
  return {
    metadata: {
      async create(type, components) {
        return parse.metadataResults(
          await conn.metadata.create(
            type as MetadataType,
            components.map((c) => ({ ...c })),
          ),
        );
      },
      async upsert(type, components) {
        return parse.metadataResults(
          await conn.metadata.upsert(
            type as MetadataType,
            components.map((c) => ({ ...c })),
          ),
        );
      },
      async identity() {
        return parse.identity(await conn.identity());
      },
    },
    async query(soql, options) {
      const headers = options.batchSize
        ? { 'Sforce-Query-Options': `batchSize=${options.batchSize}` }
        : undefined;
      const result = await conn.query(soql).execute({
        autoFetch: false,
        scanAll: options.scanAll,
        ...(headers ? { headers } : {}),
      });
      return parse.queryPage(result);
    },
    async queryMore(nextRecordsUrl) {
      return parse.queryPage(await conn.queryMore(nextRecordsUrl).execute({ autoFetch: false }));
    },
    async describe(object) {
      return parse.describe(await conn.describe(object));
    },
    async create(object, records) {
      return parse.saveResults(await conn.sobject(object).create([...records], collection));
    },
    async destroy(object, ids) {
      return parse.saveResults(await conn.sobject(object).destroy([...ids], collection));
    },
    async update(object, records) {
      const rows = records.map((r) => ({ ...r, Id: String(r.Id) }));
      return parse.saveResults(await conn.sobject(object).update(rows, collection));
    },
    async upsert(object, records, externalIdField) {
      return parse.saveResults(await conn.sobject(object).upsert([...records], externalIdField, collection));
    },
    async convertLead(requests: readonly LeadConvertRequest[]) {
      return parse.convertResults(await conn.soap.convertLead(requests.map((r) => ({ ...r }))));
    },
    async bulkQuery(soql, options) {
      const info = await conn.request({
        method: 'POST',
        url: '/jobs/query',
        body: JSON.stringify({ operation: options.scanAll ? 'queryAll' : 'query', query: soql }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      return parse.bulkCreated(info);
    },
    async bulkJob(id) {
      return parse.bulkJob(await conn.request(`/jobs/query/${encodeURIComponent(id)}`));
    },
    async bulkResults(id, locator, maxRecords) {
      // jsforce's own result() pipes every page into one stream and breaks on the second page (jsforce #1546), so
      // pages are fetched one by one through the job's request helper, which parses the CSV and keeps the locator.
      const job = conn.bulk2.job('query', { id }) as unknown as BulkRequester;
      const params = `maxRecords=${maxRecords}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`;
      const records = await job.createQueryRequest({
        method: 'GET',
        path: `/${encodeURIComponent(id)}/results?${params}`,
        headers: { Accept: 'text/csv' },
      });
      const next = job.locator;
      return {
        records: Array.isArray(records) ? (records as Record<string, string>[]) : [],
        ...(next && next !== 'null' ? { locator: next } : {}),
      };
    },
    async dailyApiRequests() {
      const daily = parse.dailyLimits(await conn.limits()).DailyApiRequests;
      return daily ? { used: daily.Max - daily.Remaining, limit: daily.Max } : undefined;
    },
    apiUsage() {
      return conn.limitInfo.apiUsage;
    },
  };
}

/** The untyped part of jsforce's QueryJobV2 used for result pages (it sets `locator` from Sforce-Locator). */
interface BulkRequester {
  createQueryRequest(request: {
    method: string;
    path: string;
    headers: Record<string, string>;
  }): Promise<unknown>;
  readonly locator?: string;
}
