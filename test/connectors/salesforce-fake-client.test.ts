import { describe, expect, it } from 'vitest';
import { createSalesforceConnector, type SalesforceClient } from '../../connectors/salesforce/index.ts';
import type { QueryPage } from '../../connectors/salesforce/salesforce-client.ts';
import { collect } from './salesforce-harness.ts';

const describeLead = {
  name: 'Lead',
  fields: ['Id', 'SystemModstamp', 'Email'].map((name) => ({
    name,
    type: name === 'SystemModstamp' ? 'datetime' : 'string',
    nillable: name === 'Email',
    createable: name === 'Email',
    updateable: name === 'Email',
  })),
};

const row = (i: number) => ({
  Id: `00Q00000000000${String(i).padStart(4, '0')}`,
  SystemModstamp: `2026-01-01T00:00:0${i % 10}.000+0000`,
  Email: `p${i}@example.com`,
});

/** A small fake of the client: what the connector asks, and canned answers. */
function fake(pages: QueryPage[], overrides: Partial<SalesforceClient> = {}) {
  const asked: string[] = [];
  const client: SalesforceClient = {
    query: async (soql) => {
      asked.push(soql);
      return pages.shift() as QueryPage;
    },
    queryMore: async (url) => {
      asked.push(`more ${url}`);
      return pages.shift() as QueryPage;
    },
    describe: async () => describeLead,
    create: async () => [],
    destroy: async () => [],
    update: async () => [],
    upsert: async () => [],
    convertLead: async () => [],
    bulkQuery: async () => 'job-1',
    bulkJob: async () => ({ state: 'JobComplete' }),
    bulkResults: async () => ({ records: [] }),
    dailyApiRequests: async () => ({ used: 10, limit: 1000 }),
    apiUsage: () => undefined,
    ...overrides,
  };
  const connector = createSalesforceConnector({
    connection: {},
    client,
    retry: { attempts: 2, baseDelayMs: 1 },
  });
  return { connector, asked };
}

describe('the Salesforce connector over a fake client', () => {
  it('follows nextRecordsUrl whatever size the pages come in', async () => {
    const { connector, asked } = fake([
      { records: [row(1), row(2), row(3)], totalSize: 4, done: false, nextRecordsUrl: '/q/1-3' },
      { records: [row(4)], totalSize: 4, done: true },
    ]);
    const pages = await collect(connector.pull('Lead', { fields: ['Email'], pageSize: 2000 }));
    expect(pages.map((p) => p.records.length)).toEqual([3, 1]);
    expect(pages[1]?.cursor).toEqual({ modifiedAt: '2026-01-01T00:00:04.000Z', id: row(4).Id });
    expect(asked).toEqual([
      'SELECT Id, SystemModstamp, Email FROM Lead ORDER BY SystemModstamp, Id',
      'more /q/1-3',
    ]);
  });

  it('fails a bulk query job that Salesforce reports as failed', async () => {
    const { connector } = fake(
      [{ records: [row(1)], totalSize: 90_000, done: false, nextRecordsUrl: '/q/1-1' }],
      { bulkJob: async () => ({ state: 'Failed', errorMessage: 'Query timed out' }) },
    );
    await expect(collect(connector.pull('Lead', { fields: ['Email'] }))).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'BULK_QUERY_FAILED',
      message: 'Bulk API 2.0 query job job-1 ended Failed: Query timed out',
    });
  });

  it('does not name a contact for a converted lead when Salesforce names none', async () => {
    const leadId = row(1).Id;
    const { connector, asked } = fake([
      {
        records: [{ Id: leadId, IsConverted: true, ConvertedContactId: null, ConvertedAccountId: null }],
        totalSize: 1,
        done: true,
      },
    ]);
    const [result] = await connector.convert([{ ref: 'c', personId: leadId, createOpportunity: false }]);
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'conflict', code: 'CONVERTED_WITHOUT_CONTACT' },
    });
    expect(asked).toHaveLength(1);
  });
});
