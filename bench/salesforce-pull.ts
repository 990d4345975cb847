/**
 * Pulls N leads (default 50,000) from the Salesforce sandbox through the real jsforce connector, REST and then Bulk
 * API 2.0, and prints pages, API calls, seconds and the largest heap growth seen between pages.
 * Run with `node --expose-gc bench/salesforce-pull.ts [--leads N]`.
 */
import { parseArgs } from 'node:util';
import { createSalesforceConnector } from '../connectors/salesforce/index.ts';
import { EXAMPLE_ORG, startSalesforceSandbox } from '../sandboxes/salesforce/index.ts';

const { values } = parseArgs({ options: { leads: { type: 'string', default: '50000' } } });
const COUNT = Number(values.leads);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const fields = [
  'Email',
  'FirstName',
  'LastName',
  'Company',
  'Title',
  'Phone',
  'City',
  'Country',
  'Lead_Score__c',
];

const sandbox = await startSalesforceSandbox(EXAMPLE_ORG);
try {
  sandbox.seedOrg({ leads: COUNT });
  for (const mode of ['rest', 'bulk'] as const) {
    const connector = createSalesforceConnector({
      connection: { instanceUrl: sandbox.url, accessToken: sandbox.accessToken },
      bulkThreshold: mode === 'bulk' ? 0 : Number.POSITIVE_INFINITY,
      bulkPollMs: 50,
    });
    sandbox.server.calls.clear();
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let records = 0;
    let pages = 0;
    const started = performance.now();
    for await (const page of connector.pull('Lead', { fields })) {
      records += page.records.length;
      pages++;
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${mode}: ${records} leads in ${pages} pages, ${sandbox.calls()} API calls ` +
        `(${JSON.stringify(Object.fromEntries(sandbox.server.calls))}), ${seconds.toFixed(2)} s, ` +
        `peak heap growth ${(peak / 1048576).toFixed(1)} MB`,
    );
    await connector.close();
  }
} finally {
  await sandbox.close();
}
