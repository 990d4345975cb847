import { rmSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { createConnector } from '../connectors/index.ts';
import { seedDemo } from '../sandboxes/demo-data.ts';
import { sandboxEnv } from '../sandboxes/env.ts';
import { HubSpotSandbox } from '../sandboxes/hubspot/index.ts';
import { startSalesforceSandbox } from '../sandboxes/salesforce/index.ts';
import { loadProject } from '../src/config/load.ts';
import { resolveConnection } from '../src/config/resolve.ts';
import { formatIssue } from '../src/config/yaml-source.ts';
import type { Connector } from '../src/connector/types.ts';
import { compileMapping } from '../src/mapping/index.ts';
import { packageFile } from '../src/package-file.ts';
import { openStore, type Store } from '../src/store/index.ts';
import { type FieldIssueGroup, sortQuarantine } from '../src/store/quarantine-groups.ts';
import type { SyncContext } from '../src/sync/context.ts';
import { runSync } from '../src/sync/run-sync.ts';
import type { Output } from './output.ts';
import { roundProgress } from './progress.ts';
import { runSetup } from './setup-command.ts';
import { formatSyncReport } from './sync-report.ts';

export interface DemoOptions {
  readonly config?: string;
  readonly people?: string;
  readonly database?: string;
}

/**
 * The main job on embedded defaults: both CRM sandboxes in this process, a new org and a new portal set up for the
 * config by `crm-bridge setup`, seeded with overlapping data, synced through config/example.yaml and its policy into
 * a fresh SQLite state store. Four rounds: the initial sync; the
 * records Salesforce's lead conversions made crossing over; an idle round (nothing to write); and a round after five
 * people change in HubSpot. After each round it counts what the quarantine holds, split as `crm-bridge quarantine`
 * lists it: the demo's own data should leave nothing held or refused.
 */
export async function demoCommand(options: DemoOptions, output: Output): Promise<number> {
  const people = Number(options.people ?? '200');
  if (!Number.isInteger(people) || people < 10 || people > 100_000) {
    output.err(`--people expects an integer from 10 to 100000; got "${options.people}"`);
    return 2;
  }
  const project = await loadProject(options.config ?? exampleConfig());
  if (!project.ok) {
    output.err(project.issues.map(formatIssue).join('\n'));
    return 1;
  }
  const database = options.database ?? './data/demo.db';
  rmSync(database, { force: true });
  for (const suffix of ['-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });

  // A new org and a new portal: neither has a custom field the config writes until setup creates them.
  const sf = await startSalesforceSandbox({ seed: 2026 });
  const hs = await HubSpotSandbox.start({ seed: 2026, limits: { perWindow: 190 } });
  const store = await openStore(`sqlite:${database}`);
  const connectors: Connector[] = [];
  try {
    const env = sandboxEnv(sf, hs);
    const { config, policy } = project.value;
    const connect = (): Record<string, Connector> => {
      const byName: Record<string, Connector> = {};
      for (const name of config.sync.pair) {
        const connection = config.connections[name];
        if (connection === undefined) throw new Error(`no connection ${name}`);
        byName[name] = createConnector(resolveConnection(connection, env));
        connectors.push(byName[name]);
      }
      return byName;
    };
    output.out('0. Setup: the custom fields the config writes, which a new org and a new portal lack');
    const setUp = await runSetup(config, connect(), { apply: true }, output);
    if (setUp !== 0) return setUp;

    const seeded = seedDemo(sf, hs, people);
    output.out(
      `\nSalesforce sandbox ${sf.url}: ${seeded.accounts} accounts, ${seeded.contacts} contacts, ${seeded.leads} leads, ${seeded.opportunities} opportunities`,
    );
    output.out(
      `HubSpot sandbox ${hs.url}: ${seeded.hubspotCompanies} companies, ${seeded.hubspotContacts} contacts (${seeded.overlap} of them also Salesforce leads), ${seeded.hubspotDeals} deals`,
    );
    const context = (): SyncContext => ({
      config,
      mapping: compileMapping(config),
      policy,
      store,
      connectors: connect(),
      now: () => new Date(),
    });

    const round = async (title: string) => {
      output.out(`\n${title}`);
      const ctx = context();
      const progress = roundProgress(ctx, output);
      try {
        const report = await runSync({ ...ctx, onProgress: progress.onProgress });
        progress.stop();
        output.out(formatSyncReport(report));
      } finally {
        progress.stop();
      }
      output.out(`quarantine after this round: ${(await setAside(store)).text}`);
    };
    await round('1. Initial sync');
    await round(
      "2. Again: what round 1 made inside one CRM (Salesforce's lead conversions) reaches the other",
    );
    await round('3. Again, right away: nothing changed, so nothing is written');
    const changed = hs.store
      .all('contacts')
      .slice(0, 5)
      .map((c) => c.id);
    hs.touch('contacts', changed, { fields: { jobtitle: 'VP Revenue Operations' } });
    await round('4. Five people get a new job title in HubSpot');

    const quarantine = await setAside(store);
    output.out(
      `\nSalesforce now: ${sf.count('Account')} accounts, ${sf.count('Contact')} contacts, ${sf.count('Lead')} leads, ${sf.count('Opportunity')} opportunities (${sf.calls()} API calls)`,
    );
    output.out(
      `HubSpot now: ${hs.count('companies')} companies, ${hs.count('contacts')} contacts, ${hs.count('deals')} deals (${hs.calls()} API calls)`,
    );
    output.out(`Quarantine: ${quarantine.text}. State store: ${database}`);
    if (quarantine.fieldIssues.length > 0)
      output.out(
        [
          'Field issues (the records synced without these values):',
          ...quarantine.fieldIssues.map(
            (g) =>
              `  ${g.entity} ${g.connection} ${g.object} ${g.field} = ${JSON.stringify(g.value)}: ${g.count} ${g.count === 1 ? 'record' : 'records'}: ${g.reason}`,
          ),
        ].join('\n'),
      );
    output.out(`Read them: DATABASE_URL=sqlite:${database} npx crm-bridge quarantine`);
    return 0;
  } finally {
    await Promise.all(connectors.map((c) => c.close?.()));
    await store.close();
    await Promise.all([sf.close(), hs.close()]);
  }
}

/** The example config crm-bridge ships, as a path relative to the working folder when it is inside it. */
function exampleConfig(): string {
  const file = packageFile('config/example.yaml');
  const near = relative(process.cwd(), file);
  return near.startsWith('..') || isAbsolute(near) ? file : near;
}

/** What the quarantine holds, split as `crm-bridge quarantine` lists it. */
async function setAside(store: Store): Promise<{ text: string; fieldIssues: readonly FieldIssueGroup[] }> {
  const { held, refused, fieldIssues } = sortQuarantine(await store.listQuarantine());
  const fields = fieldIssues.reduce((n, g) => n + g.count, 0);
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  return {
    text: `${plural(held.length, 'held record')}, ${plural(refused.length, 'refused write')}, ${plural(fields, 'field issue')}`,
    fieldIssues,
  };
}
