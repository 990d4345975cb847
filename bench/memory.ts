/**
 * Peak memory of a one-direction first sync:
 * `node bench/memory.ts [--people 100000,200000] [--node-options="--flag …"] [--engine-only]`.
 * Salesforce alone holds the people; a child process (`bench/memory-child.ts`) syncs them into an empty HubSpot
 * with its state on PostgreSQL, as `crm-bridge sync` and the worker run a round: the round report counted
 * (`--engine-only` leaves it out, to tell the engine's memory from the report's), and reports its own peak RSS (Linux's `VmHWM`), its peak heap, what the process's
 * memory was made of at that peak, and where the live heap was. The child runs with the V8 settings of a worker in
 * 512 MB (`serviceNodeOptions`: the worker unit's 16 MB semi-spaces, and a 384 MB old generation); without them V8
 * sizes its heap by the machine's memory and lets garbage pile up, and the RSS says more about the collector than
 * about what the sync keeps. The sandboxes run in this process, so their records are not counted. The PostgreSQL schema is dropped after each size.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sandboxEnv } from '../sandboxes/env.ts';
import { EXAMPLE_CUSTOM_PROPERTIES, HubSpotSandbox } from '../sandboxes/hubspot/index.ts';
import { EXAMPLE_ORG, startSalesforceSandbox } from '../sandboxes/salesforce/index.ts';
import { postgresDatabase } from '../test/support/databases.ts';
import type { MemoryReport } from './memory-child.ts';
import { seedOneWay } from './seed-scale.ts';

export interface MemoryFigures extends MemoryReport {
  readonly people: number;
  /** The child's V8 flags. */
  readonly nodeOptions: readonly string[];
  /** Whether the round report was counted too. */
  readonly withReport: boolean;
  /** Records in HubSpot after the round. */
  readonly contactsInHubSpot: number;
}

/**
 * The V8 flags of a worker in 512 MB: those its systemd unit and container run it with (the unit's `NODE_OPTIONS`),
 * and the old-generation limit such a service is given (384 MB; a container's memory limit sets one of its own).
 */
export function serviceNodeOptions(): string[] {
  const unit = readFileSync(new URL('../deploy/crm-bridge-worker.service', import.meta.url), 'utf8');
  const value = /^Environment="?NODE_OPTIONS=([^"\n]*)"?$/m.exec(unit)?.[1];
  if (value === undefined) throw new Error('deploy/crm-bridge-worker.service sets no NODE_OPTIONS');
  return ['--max-old-space-size=384', ...value.split(/\s+/).filter((flag) => flag !== '')];
}

/** How a memory run is made. */
export interface MemoryOptions {
  /** The child's V8 flags (default: `serviceNodeOptions()`). */
  readonly nodeOptions?: readonly string[];
  /** Count the round report, as `crm-bridge sync` and the worker do (default); false: the engine's round alone. */
  readonly withReport?: boolean;
  /** Give up after this long (default an hour). */
  readonly timeoutMs?: number;
}

/** Syncs `people` Salesforce people one way in a child process. */
export async function measureMemory(people: number, options: MemoryOptions = {}): Promise<MemoryFigures> {
  const { nodeOptions = serviceNodeOptions(), withReport = true, timeoutMs = 60 * 60_000 } = options;
  const sf = await startSalesforceSandbox({ seed: 7, ...EXAMPLE_ORG });
  const hs = await HubSpotSandbox.start({
    seed: 7,
    limits: { perWindow: 1_000_000, searchPerSecond: 1000 },
    customProperties: EXAMPLE_CUSTOM_PROPERTIES,
  });
  const db = postgresDatabase();
  try {
    seedOneWay(sf, people);
    const child = fork(new URL('./memory-child.ts', import.meta.url), withReport ? ['--with-report'] : [], {
      execArgv: [...nodeOptions],
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
      return { people, nodeOptions, withReport, ...result, contactsInHubSpot: hs.count('contacts') };
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
      'node-options': { type: 'string' },
      'engine-only': { type: 'boolean', default: false },
    },
  });
  for (const people of values.people.split(',').map(Number)) {
    const given = values['node-options']?.split(/\s+/).filter((flag) => flag !== '');
    const f = await measureMemory(people, {
      ...(given === undefined ? {} : { nodeOptions: given }),
      withReport: !values['engine-only'],
    });
    console.log(
      `${people} people one way${f.withReport ? ', with the round report' : ', the engine alone'}: ${f.seconds.toFixed(1)} s, peak RSS ${f.peakRssMb} MB, peak heap ${f.peakHeapMb} MB, ${f.contactsInHubSpot} HubSpot contacts`,
    );
    if (f.funnelPeople !== undefined)
      console.log(
        `  the report's funnel counts, after: ${JSON.stringify(f.funnelPeople)}; seconds in its store calls: ${JSON.stringify(f.reportSeconds)}`,
      );
    const p = f.atPeakRss;
    console.log(
      `  at the highest RSS sampled (${p.rssMb} MB): heap ${p.heapUsedMb} MB used of ${p.heapTotalMb} MB reserved, external ${p.externalMb} MB (buffers ${p.arrayBuffersMb} MB); pages per heap space ${JSON.stringify(p.spacesMb)}`,
    );
    for (const s of f.sites) console.log(`  ${String(s.mb).padStart(7)} MB  ${s.site}`);
  }
}
