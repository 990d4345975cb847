import { createLogger, type Logger } from '../../jobs/logger.ts';
import type { BridgeConfig } from '../../src/config/schema.ts';
import { compileMapping } from '../../src/mapping/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import type { SyncReport } from '../../src/sync/run-sync.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';
import { sqliteDatabase } from '../support/databases.ts';

/**
 * A worker runtime with the example config and a fresh SQLite store, but no connectors: for fake rounds. The
 * default schedule (yearly) never fires during a test, so only the jobs a test adds run.
 */
export async function quietRuntime(schedule: BridgeConfig['sync']['schedule'] = { cron: '0 0 1 1 *' }) {
  const base = await exampleConfig();
  const config: BridgeConfig = { ...base, sync: { ...base.sync, schedule } };
  const database = sqliteDatabase();
  const store = await openStore(database.url);
  const ctx: SyncContext = {
    config,
    mapping: compileMapping(config),
    policy: undefined,
    store,
    connectors: {},
    now: () => new Date(),
  };
  return {
    ctx,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

/** A report of a round that changed nothing. */
export const emptyReport = (runId: string): SyncReport => ({
  runId,
  dryRun: false,
  apiCalls: {},
  entities: {},
  durationMs: 1,
});

/** A logger writing JSON lines into an array, for tests that read the logs. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
