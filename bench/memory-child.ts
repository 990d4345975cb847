/**
 * The process `bench/memory.ts` measures: one first round of the example config against the sandboxes named in
 * its environment, state on the PostgreSQL of DATABASE_URL; with `--with-report`, run as `crm-bridge sync` runs it,
 * counting the round report (`runWithReport`). Samples the heap while it runs, keeps a sampling heap
 * profile of what is live at the highest heap it saw, and sends its figures to the parent when done.
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapSpaceStatistics } from 'node:v8';
import { runWithReport } from '../cli/report-round.ts';
import { createHubSpotConnector } from '../connectors/hubspot/index.ts';
import { createConnector } from '../connectors/index.ts';
import { loadProject } from '../src/config/load.ts';
import { resolveConnection } from '../src/config/resolve.ts';
import type { Connector } from '../src/connector/types.ts';
import { compileMapping } from '../src/mapping/index.ts';
import { openStore, type RoundReportStore } from '../src/store/index.ts';
import { runSync } from '../src/sync/run-sync.ts';

/** One allocation site of what was live at the peak. */
export interface HeapSite {
  readonly site: string;
  readonly mb: number;
}

/** What the child sends back. */
export interface MemoryReport {
  readonly seconds: number;
  /** The peak resident set of this process alone (see `peakRss`), in MB. */
  readonly peakRssMb: number;
  /** The largest heapUsed sampled (every 25 ms and at each profile), in MB. */
  readonly peakHeapMb: number;
  /**
   * The process's memory at the highest resident set sampled, in MB: the V8 heap it had reserved and used, the
   * memory outside it that JavaScript objects hold (buffers among it), and each heap space's pages.
   */
  readonly atPeakRss: {
    readonly rssMb: number;
    readonly heapTotalMb: number;
    readonly heapUsedMb: number;
    readonly externalMb: number;
    readonly arrayBuffersMb: number;
    readonly spacesMb: Record<string, number>;
  };
  /** Allocation sites of the live heap at its peak, largest first. */
  readonly sites: readonly HeapSite[];
  readonly written: number;
  /** With the round report: the people its funnel counts in each CRM after the round, by connection. */
  readonly funnelPeople?: Record<string, number>;
  /** With the round report: seconds spent in each of the state store's report calls (`RoundReportStore`). */
  readonly reportSeconds?: Record<string, number>;
}

interface ProfileNode {
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly ProfileNode[];
}

/** Live bytes per allocation site (function, file and line), summed over the call tree. */
function sites(root: ProfileNode): HeapSite[] {
  const bytes = new Map<string, number>();
  const walk = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
    const site = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    if (node.selfSize > 0) bytes.set(site, (bytes.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(root);
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([site, n]) => ({ site, mb: Math.round((n / 1048576) * 10) / 10 }));
}

const MB = 1048576;
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 256 * 1024 });
let peakHeap = 0;
/** The process's memory when its resident set was highest, as sampled. */
let atPeakRss: NodeJS.MemoryUsage | undefined;
let spacesAtPeak: Record<string, number> = {};
let profiledAt = 0;
let profile: HeapSite[] = [];
let profiling = false;
/** A new profile each time the heap has grown a fifth past the one kept: the last one is the peak's. */
const sample = () => {
  const usage = process.memoryUsage();
  const used = usage.heapUsed;
  peakHeap = Math.max(peakHeap, used);
  if (atPeakRss === undefined || usage.rss > atPeakRss.rss) {
    atPeakRss = usage;
    spacesAtPeak = Object.fromEntries(
      getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.physical_space_size / MB)]),
    );
  }
  if (profiling || used < profiledAt * 1.2) return;
  profiling = true;
  profiledAt = used;
  session
    .post('HeapProfiler.getSamplingProfile')
    .then((result) => {
      profile = sites((result as { profile: { head: ProfileNode } }).profile.head);
    })
    .catch(() => {})
    .finally(() => {
      profiling = false;
    });
};
const timer = setInterval(sample, 25);

const project = await loadProject('config/example.yaml');
if (!project.ok) throw new Error('config/example.yaml does not load');
const { config, policy } = project.value;
const store = await openStore(process.env.DATABASE_URL ?? '');
const connectors: Record<string, Connector> = {};
for (const name of config.sync.pair) {
  const connection = config.connections[name];
  if (connection === undefined) continue;
  const resolved = resolveConnection(connection, process.env as Record<string, string>);
  // The API limits are not what is measured here: HubSpot's connector may go as fast as the sandbox answers.
  connectors[name] =
    resolved.system === 'hubspot'
      ? createHubSpotConnector({ ...(resolved as object), limits: { burst: 1_000_000 } })
      : createConnector(resolved);
}
const started = performance.now();
/**
 * The peak resident set of this process, in KB: Linux's `VmHWM`, which starts afresh when the process is started.
 * Not `process.resourceUsage().maxRSS`: Linux carries a forked process's peak across its exec, so that figure is
 * at least the parent's resident set when it forked (here, the sandboxes holding every record). Elsewhere, maxRSS.
 */
function peakRssKb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (hwm !== undefined) return Number(hwm);
  } catch {
    // No /proc: not Linux.
  }
  return process.resourceUsage().maxRSS;
}

/** Seconds spent in each of the store's round report calls: what counting the report costs the round. */
const reportSeconds: Record<string, number> = {};
const rows = store.report;
const timedRows =
  rows === undefined
    ? undefined
    : (Object.fromEntries(
        Object.entries(rows).map(([name, call]) => [
          name,
          async (...args: unknown[]) => {
            const begun = performance.now();
            try {
              return await (call as (...a: unknown[]) => Promise<unknown>)(...args);
            } finally {
              reportSeconds[name] = (reportSeconds[name] ?? 0) + (performance.now() - begun) / 1000;
            }
          },
        ]),
      ) as unknown as RoundReportStore);
const measured = new Proxy(store, {
  get(target, property, receiver) {
    if (property === 'report') return timedRows;
    const value: unknown = Reflect.get(target, property, receiver);
    return typeof value === 'function' ? value.bind(target) : value;
  },
});
const ctx = {
  config,
  mapping: compileMapping(config),
  policy,
  store: measured,
  connectors,
  now: () => new Date(),
};
const { report, figures } = process.argv.includes('--with-report')
  ? await runWithReport(ctx, false, (c) => runSync(c))
  : { report: await runSync(ctx), figures: undefined };
const seconds = (performance.now() - started) / 1000;
clearInterval(timer);
sample();
await store.close();
session.disconnect();
const mb = (bytes: number | undefined) => Math.round((bytes ?? 0) / MB);
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const out: MemoryReport = {
  seconds,
  peakRssMb: Math.round(peakRssKb() / 1024),
  peakHeapMb: Math.round(peakHeap / MB),
  atPeakRss: {
    rssMb: mb(atPeakRss?.rss),
    heapTotalMb: mb(atPeakRss?.heapTotal),
    heapUsedMb: mb(atPeakRss?.heapUsed),
    externalMb: mb(atPeakRss?.external),
    arrayBuffersMb: mb(atPeakRss?.arrayBuffers),
    spacesMb: spacesAtPeak,
  },
  sites: profile,
  written: Object.values(report.entities).reduce((n, r) => n + sum(r.creates) + sum(r.updates), 0),
  ...(figures === undefined
    ? {}
    : {
        funnelPeople: Object.fromEntries(figures.funnel.crms.map((c) => [c.connection, sum(c.after)])),
        reportSeconds: Object.fromEntries(
          Object.entries(reportSeconds).map(([name, seconds]) => [name, Math.round(seconds * 10) / 10]),
        ),
      }),
};
process.send?.(out);
process.disconnect?.();
