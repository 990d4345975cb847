import { createConnector } from '../../connectors/index.ts';
import { sandboxEnv } from '../../sandboxes/env.ts';
import { EXAMPLE_CUSTOM_PROPERTIES, HubSpotSandbox } from '../../sandboxes/hubspot/index.ts';
import {
  EXAMPLE_ORG,
  type SalesforceSandbox,
  startSalesforceSandbox,
} from '../../sandboxes/salesforce/index.ts';
import { resolveConnection } from '../../src/config/resolve.ts';
import type { BridgeConfig } from '../../src/config/schema.ts';
import type { Connector } from '../../src/connector/types.ts';
import { compileMapping } from '../../src/mapping/index.ts';
import { type CompiledPolicy, loadPolicy } from '../../src/policy/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';
import type { TestDatabase } from './databases.ts';

/** Both sandboxes, the real connectors pointed at them, a state store and the example config. */
export interface SyncHarness {
  readonly sf: SalesforceSandbox;
  readonly hs: HubSpotSandbox;
  readonly store: Store;
  /** The state store's DATABASE_URL. */
  readonly databaseUrl: string;
  /** The state store's database, to look at its tables. */
  readonly database: TestDatabase;
  readonly config: BridgeConfig;
  /** The environment the connections' env:NAME settings resolve from (sandbox URLs and credentials). */
  readonly env: NodeJS.ProcessEnv;
  /** A fresh context (fresh connectors) for one sync round. */
  context(options?: { policy?: boolean }): Promise<SyncContext>;
  close(): Promise<void>;
}

export async function startHarness(database: TestDatabase): Promise<SyncHarness> {
  const sf = await startSalesforceSandbox({ seed: 11, ...EXAMPLE_ORG });
  const hs = await HubSpotSandbox.start({
    seed: 11,
    limits: { perWindow: 10_000, searchPerSecond: 1000 },
    customProperties: EXAMPLE_CUSTOM_PROPERTIES,
  });
  const store = await openStore(database.url);
  const config = await exampleConfig();
  const env: NodeJS.ProcessEnv = sandboxEnv(sf, hs);
  const loaded = await loadPolicy('config/policy.default.yaml');
  if (!loaded.ok) throw new Error('the default policy does not load');
  const policy: CompiledPolicy = loaded.value;
  const opened: Connector[] = [];
  return {
    sf,
    hs,
    store,
    databaseUrl: database.url,
    database,
    config,
    env,
    async context(options = {}) {
      const connectors: Record<string, Connector> = {};
      for (const name of config.sync.pair) {
        const connection = config.connections[name];
        if (!connection) throw new Error(`no connection ${name}`);
        connectors[name] = createConnector(resolveConnection(connection, env));
        opened.push(connectors[name]);
      }
      return {
        config,
        mapping: compileMapping(config),
        policy: options.policy === false ? undefined : policy,
        store,
        connectors,
        now: () => new Date('2026-11-25T12:00:00.000Z'),
      };
    },
    async close() {
      try {
        await Promise.all(opened.map((c) => c.close?.()));
        await store.close();
        await Promise.all([sf.close(), hs.close()]);
      } finally {
        // The database (a PostgreSQL schema) goes whatever else failed.
        await database.drop();
      }
    },
  };
}
