/**
 * Peak memory of a one-direction first sync: `node bench/memory.ts [--people 100000,200000] [--heap-mb 384]`.
 * Salesforce alone holds the people; a child process (`bench/memory-child.ts`) syncs them into an empty HubSpot
 * with its state on PostgreSQL, and reports its own peak RSS (Linux's `VmHWM`), its peak heap and
 * where the live heap was at the peak. The child runs with the V8 heap limit a service in 512 MB would be given
 * (`--max-old-space-size`, default 384 MB): without one, V8 lets garbage pile up as far as the machine allows and
 * the RSS says more about the collector than about what the sync keeps. The sandboxes run in this process, so
 * their records are not counted. The PostgreSQL schema is dropped after each size.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { sandboxEnv } from '../sandboxes/env.ts';
import { EXAMPLE_CUSTOM_PROPERTIES, HubSpotSandbox } from '../sandboxes/hubspot/index.ts';
import { EXAMPLE_ORG, startSalesforceSandbox } from '../sandboxes/salesforce/index.ts';
import { postgresDatabase } from '../test/support/databases.ts';
import type { MemoryReport } from './memory-child.ts';
import { seedOneWay } from './seed-scale.ts';

export interface MemoryFigures extends MemoryReport {
  readonly people: number;
  /** The child's V8 heap limit, in MB. */
  readonly heapLimitMb: number;
  /** Records in HubSpot after the round. */
  readonly contactsInHubSpot: number;
}

/** Syncs `people` Salesforce people one way in a child process; gives up after `timeoutMs`. */
export async function measureMemory(
  people: number,
  heapLimitMb = 384,
  timeoutMs = 60 * 60_000,
): Promise<MemoryFigures> {
  const sf = await startSalesforceSandbox({ seed: 7, ...EXAMPLE_ORG });
  const hs = await HubSpotSandbox.start({
    seed: 7,
    limits: { perWindow: 1_000_000, searchPerSecond: 1000 },
    customProperties: EXAMPLE_CUSTOM_PROPERTIES,
  });
  const db = postgresDatabase();
  try {
    seedOneWay(sf, people);
    const child = fork(new URL('./memory-child.ts', import.meta.url), [], {
      execArgv: [`--max-old-space-size=${heapLimitMb}`],
      env: { ...process.env, ...sandboxEnv(sf, hs), DATABASE_URL: db.url },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      const exit = once(child, 'exit');
      const report = once(child, 'message').then(([message]) => message as MemoryReport);
      const [result] = await Promise.race([
        Promise.all([report, exit]),
        exit.then(([code, signal]) => {
          throw new Error(`the sync process ended (${String(code ?? signal)}) before reporting`);
        }),
      ]);
      return { people, heapLimitMb, ...result, contactsInHubSpot: hs.count('contacts') };
    } finally {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  } finally {
    await db.drop();
    await Promise.all([sf.close(), hs.close()]);
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '100000,200000' },
      'heap-mb': { type: 'string', default: '384' },
    },
  });
  for (const people of values.people.split(',').map(Number)) {
    const f = await measureMemory(people, Number(values['heap-mb']));
    console.log(
      `${people} people one way: ${f.seconds.toFixed(1)} s, peak RSS ${f.peakRssMb} MB, peak heap ${f.peakHeapMb} MB, ${f.contactsInHubSpot} HubSpot contacts`,
    );
    for (const s of f.sites) console.log(`  ${String(s.mb).padStart(7)} MB  ${s.site}`);
  }
}
