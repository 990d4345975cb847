import type { Connection } from 'jsforce';
import type {
  DescribeResult,
  LeadConvertRequest,
  LeadConvertResult,
  QueryPage,
  SalesforceClient,
  SaveResult,
} from './salesforce-client.ts';

/**
 * Adapts a real jsforce Connection to the connector's narrow client. Collections are sent one call at a time
 * (no `allowRecursive`): the connector chunks, so that it can retry each chunk on its own.
 */
export function jsforceClient(conn: Connection): SalesforceClient {
  const collection = { allOrNone: false, allowRecursive: false } as const;
  return {
    async query(soql, options) {
      const headers = options.batchSize
        ? { 'Sforce-Query-Options': `batchSize=${options.batchSize}` }
        : undefined;
      const result = await conn.query(soql).execute({
        autoFetch: false,
        scanAll: options.scanAll,
        ...(headers ? { headers } : {}),
      });
      return result as unknown as QueryPage;
    },
    async queryMore(nextRecordsUrl) {
      const result = await conn.queryMore(nextRecordsUrl).execute({ autoFetch: false });
      return result as unknown as QueryPage;
    },
    async describe(object) {
      return (await conn.describe(object)) as unknown as DescribeResult;
    },
    async create(object, records) {
      return (await conn.sobject(object).create([...records], collection)) as unknown as SaveResult[];
    },
    async update(object, records) {
      const rows = records.map((r) => ({ ...r, Id: String(r.Id) }));
      return (await conn.sobject(object).update(rows, collection)) as unknown as SaveResult[];
    },
    async upsert(object, records, externalIdField) {
      return (await conn
        .sobject(object)
        .upsert([...records], externalIdField, collection)) as unknown as SaveResult[];
    },
    async convertLead(requests: readonly LeadConvertRequest[]) {
      const results = await conn.soap.convertLead(requests.map((r) => ({ ...r })));
      return (Array.isArray(results) ? results : [results]) as unknown as LeadConvertResult[];
    },
    async dailyApiRequests() {
      const limits = (await conn.limits()) as { DailyApiRequests?: { Max: number; Remaining: number } };
      const daily = limits.DailyApiRequests;
      return daily ? { used: daily.Max - daily.Remaining, limit: daily.Max } : undefined;
    },
    apiUsage() {
      return conn.limitInfo.apiUsage;
    },
  };
}
