import { afterEach, describe, expect, it } from 'vitest';
import { createSalesforceConnector } from '../../connectors/salesforce/index.ts';
import { EXAMPLE_ORG } from '../../sandboxes/salesforce/index.ts';
import type { ExternalRecord } from '../../src/connector/types.ts';
import { collect, FAST_RETRY, type SalesforceRig, startRig } from './salesforce-harness.ts';

const fields = ['Email', 'Lead_Score__c', 'Is_Decision_Maker__c', 'Title', 'Budget__c'];
const view = (r: ExternalRecord) => [r.id, r.modifiedAt, ...fields.map((f) => r.fields[f])];

describe('salesforce pull through Bulk API 2.0', () => {
  let rig: SalesforceRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('continues above the threshold with one bulk job, page by page, with the records and types REST gives', async () => {
    rig = await startRig(EXAMPLE_ORG, {
      pageSize: 1000,
      bulkThreshold: 5000,
      bulkPageSize: 3000,
      bulkPollMs: 5,
    });
    const { sandbox, connector } = rig;
    const ids = sandbox.seed('Lead', sandbox.generate.leads(12_000));
    // Every record shares one SystemModstamp, so the REST → bulk hand-over falls inside a tie that only the Id breaks.
    sandbox.touch('Lead', ids, { fields: { Title: 'Tied' }, sameTimestamp: true });

    const pages = [];
    for await (const page of connector.pull('Lead', { fields })) {
      pages.push(page.records.length);
      // One result page fetched per page handed out: nothing is read ahead.
      expect(sandbox.calls('query') + sandbox.calls('bulk:results')).toBe(pages.length);
    }
    expect(pages).toEqual([1000, 3000, 3000, 3000, 2000]);
    expect(sandbox.calls('bulk:create')).toBe(1);
    expect(sandbox.calls('queryMore')).toBe(0);

    const viaBulk = (await collect(connector.pull('Lead', { fields }))).flatMap((p) => p.records);
    const rest = createSalesforceConnector({
      retry: FAST_RETRY,
      pageSize: 2000,
      connection: { instanceUrl: sandbox.url, accessToken: sandbox.accessToken },
    });
    const viaRest = (await collect(rest.pull('Lead', { fields }))).flatMap((p) => p.records);
    expect(viaBulk.map(view)).toEqual(viaRest.map(view));
    expect(typeof viaBulk[0]?.fields.Lead_Score__c).toBe('number');
    expect(typeof viaBulk[0]?.fields.Is_Decision_Maker__c).toBe('boolean');
  });

  it('stays on REST at or below the threshold', async () => {
    rig = await startRig(EXAMPLE_ORG, { pageSize: 500, bulkThreshold: 1000, bulkPollMs: 5 });
    rig.sandbox.seed('Lead', rig.sandbox.generate.leads(1000));
    const pages = await collect(rig.connector.pull('Lead', { fields }));
    expect(pages.map((p) => p.records.length)).toEqual([500, 500]);
    expect(rig.sandbox.calls('bulk:create')).toBe(0);
  });
});
