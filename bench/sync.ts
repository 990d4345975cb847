/**
 * API calls of a full sync against the minimum the data needs: `npm run bench:sync [-- --people N]`.
 *
 * Seeds both sandboxes with overlapping data (the demo's generator), runs an initial round and an idle round,
 * and compares the calls each sandbox served with the pages and batches the round could not do without: query
 * pages at each API's largest page size, write batches (Salesforce collections 200, HubSpot batches 100) and
 * convertLead calls (100 leads each).
 */

import { parseArgs } from 'node:util';
import { createConnector } from '../connectors/index.ts';
import { seedDemo } from '../sandboxes/demo-data.ts';
import { sandboxEnv } from '../sandboxes/env.ts';
import { EXAMPLE_CUSTOM_PROPERTIES, HubSpotSandbox } from '../sandboxes/hubspot/index.ts';
import { EXAMPLE_ORG, startSalesforceSandbox } from '../sandboxes/salesforce/index.ts';
import { loadProject } from '../src/config/load.ts';
import { resolveConnection } from '../src/config/resolve.ts';
import type { Connector } from '../src/connector/types.ts';
import { compileMapping } from '../src/mapping/index.ts';
import { openStore } from '../src/store/index.ts';
import type { SyncContext } from '../src/sync/context.ts';
import { runSync, type SyncReport } from '../src/sync/run-sync.ts';

const { values } = parseArgs({ options: { people: { type: 'string', default: '20000' } } });
const people = Number(values.people);

const sf = await startSalesforceSandbox({ seed: 7, ...EXAMPLE_ORG });
const hs = await HubSpotSandbox.start({
  seed: 7,
  limits: { perWindow: 100_000, searchPerSecond: 1000 },
  customProperties: EXAMPLE_CUSTOM_PROPERTIES,
});
const store = await openStore('sqlite::memory:');
const project = await loadProject('config/example.yaml');
if (!project.ok) throw new Error('config/example.yaml does not load');
const { config, policy } = project.value;
const env = sandboxEnv(sf, hs);
const context = (): SyncContext => {
  const connectors: Record<string, Connector> = {};
  for (const name of config.sync.pair) {
    const connection = config.connections[name];
    if (connection) connectors[name] = createConnector(resolveConnection(connection, env));
  }
  return { config, mapping: compileMapping(config), policy, store, connectors, now: () => new Date() };
};

const seeded = seedDemo(sf, hs, people);
const sfCalls = () => sf.calls();
const hsCalls = () => hs.calls();

/** The pages and batches a round cannot do without, from what it read and wrote. */
function minimum(report: SyncReport): { sf: number; hs: number } {
  const min = { sf: 0, hs: 0 };
  const system = (target: string) => (target.startsWith('sf/') ? 'sf' : 'hs');
  for (const [entity, r] of Object.entries(report.entities)) {
    for (const [target, n] of Object.entries(r.read)) {
      const page = system(target) === 'sf' ? 2000 : 100; // a HubSpot full load lists 100 per page
      min[system(target)] += Math.max(1, Math.ceil(n / page));
      // The example maps a deal's contacts: Salesforce's contact roles are read 200 deals to a query (the ids go in
      // the query's IN list), HubSpot's associations 100 deals to a batch read.
      if (entity === 'opportunity')
        min[system(target)] += Math.ceil(n / (system(target) === 'sf' ? 200 : 100));
    }
    for (const counts of [r.creates, r.updates]) {
      for (const [target, n] of Object.entries(counts))
        min[system(target)] += Math.ceil(n / (system(target) === 'sf' ? 200 : 100));
    }
    min.sf += Math.ceil(r.conversions / 100);
  }
  return min;
}

const started = Date.now();
const first = await runSync(context());
const seconds = (Date.now() - started) / 1000;
const calls = { sf: sfCalls(), hs: hsCalls() };
const min = minimum(first);
const byEndpoint = (s: { calls(endpoint?: string): number }, names: string[]) =>
  names.map((n) => `${n} ${s.calls(n)}`).join(', ');

console.log(
  `seeded ${seeded.leads} leads, ${seeded.contacts} contacts, ${seeded.accounts} accounts, ${seeded.opportunities} opportunities in Salesforce; ${seeded.hubspotContacts} contacts (${seeded.overlap} shared), ${seeded.hubspotCompanies} companies, ${seeded.hubspotDeals} deals in HubSpot`,
);
for (const [entity, r] of Object.entries(first.entities)) {
  console.log(
    `  ${entity}: read ${JSON.stringify(r.read)}, created ${JSON.stringify(r.creates)}, updated ${JSON.stringify(r.updates)}, converted ${r.conversions}, quarantined ${r.quarantined}`,
  );
}
console.log(`initial round: ${seconds.toFixed(1)} s`);
console.log(
  `  Salesforce: ${calls.sf} calls (+1 token), minimum ${min.sf}: ${(calls.sf / min.sf).toFixed(3)}x`,
);
console.log(
  `    ${byEndpoint(sf, ['query', 'queryMore', 'queryAll', 'describe', 'limits', 'collections:create', 'collections:update', 'soap'])}`,
);
console.log(`  HubSpot: ${calls.hs} calls, minimum ${min.hs}: ${(calls.hs / min.hs).toFixed(3)}x`);
console.log(`    ${JSON.stringify(hs.callsByEndpoint())}`);
const total = calls.sf + calls.hs;
const totalMin = min.sf + min.hs;
console.log(
  `  both: ${total} calls, minimum ${totalMin}: ${(total / totalMin).toFixed(3)}x (target <= 1.05x)`,
);

/** Runs a round and prints what it wrote and the calls it made. */
async function round(label: string): Promise<void> {
  const start = Date.now();
  const before = { sf: sfCalls(), hs: hsCalls() };
  const report = await runSync(context());
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const writes = Object.values(report.entities).reduce((n, r) => n + sum(r.creates) + sum(r.updates), 0);
  console.log(
    `${label}: ${((Date.now() - start) / 1000).toFixed(1)} s, ${writes} writes, ${sfCalls() - before.sf} Salesforce and ${hsCalls() - before.hs} HubSpot calls`,
  );
}
// The records Salesforce's lead conversions made (contacts, accounts, opportunities) cross over, and everything
// round 1 wrote is read back once and recognised as crm-bridge's own writes.
await round('second round (conversions cross over; round 1 echoes read back)');
await round('third round (nothing changed)');
await store.close();
await Promise.all([sf.close(), hs.close()]);
