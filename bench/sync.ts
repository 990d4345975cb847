/**
 * API calls of a full sync against the minimum the data needs: `npm run bench:sync [-- --people N]`.
 *
 * Seeds both sandboxes with overlapping data (the demo's generator, or the benchmark's shape with `seedScale`), runs an
 * initial round and two more, and compares the calls each sandbox served with the pages and batches the round
 * could not do without: query pages at each API's largest page size, write batches (Salesforce collections 200,
 * HubSpot batches 100) and convertLead calls (100 leads each). `measureSync` returns the figures; with HubSpot's
 * limits enforced it also gives the time the initial round could not beat at those limits.
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
import type { ProgressEvent } from '../src/sync/progress.ts';
import { runSync, type SyncReport } from '../src/sync/run-sync.ts';
import { seedScale } from './seed-scale.ts';

/** Calls per system. */
export interface SystemCalls {
  readonly sf: number;
  readonly hs: number;
}

/** A round after the first: its time, writes and calls. */
export interface LaterRound {
  readonly seconds: number;
  readonly writes: number;
  readonly calls: SystemCalls;
}

export interface SyncFigures {
  readonly people: number;
  /** What each sandbox held before the first round. */
  readonly seeded: Readonly<Record<string, number>>;
  readonly first: {
    readonly seconds: number;
    readonly calls: SystemCalls;
    /** The pages and batches the round could not do without. */
    readonly minimum: SystemCalls;
    /** Per entity: read, created, updated, converted, quarantined. */
    readonly entities: SyncReport['entities'];
    readonly byEndpoint: { readonly sf: Record<string, number>; readonly hs: Record<string, number> };
    /** With HubSpot's limits: the seconds its calls need at its burst and search limits (0 without limits). */
    readonly bound: number;
    /** The 429s the HubSpot sandbox answered. */
    readonly refused: number;
    /** Per entity, in seconds from the round's start: pulled (first–last page), planned, pushed, recorded. */
    readonly timeline: readonly string[];
  };
  /** Conversions cross over and round 1's writes are read back as crm-bridge's own. */
  readonly second: LaterRound;
  /** Nothing changed. */
  readonly idle: LaterRound;
  /** The objects the rounds read, per system (an idle round needs one call each). */
  readonly objects: { readonly sf: readonly string[]; readonly hs: readonly string[] };
}

export interface SyncOptions {
  readonly people: number;
  /** `demo`: the demo's data (20 % in both); `scale`: the benchmark's (30 % in both, 1 account and 1 deal per 10). */
  readonly data?: 'demo' | 'scale';
  /**
   * `hubspot`: the sandbox answers as a Professional portal does (190 calls per 10 s, 4 searches per second) and
   * the connector keeps to that tier; `raised`: the sandbox lets everything through (the connector still keeps to
   * its tier's 190 per 10 s).
   */
  readonly limits?: 'hubspot' | 'raised';
}

/** HubSpot Professional's limits, which config/example.yaml's tier names. */
export const HUBSPOT_PROFESSIONAL = { perWindow: 190, windowMs: 10_000, searchPerSecond: 4 } as const;

const system = (target: string): keyof SystemCalls => (target.startsWith('sf/') ? 'sf' : 'hs');

/** The pages and batches a round cannot do without, from what it read and wrote. */
export function minimumCalls(report: SyncReport): SystemCalls {
  const min = { sf: 0, hs: 0 };
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

/**
 * The seconds HubSpot's limits hold `calls` calls (of which `searches` searches) to at their sustained rate:
 * `perWindow` per window, searches 4 a second. (A window that starts empty lets one window's worth through at
 * once, so a round can beat this by up to one window: 10 s.)
 */
export function hubspotBound(calls: number, searches: number): number {
  const { perWindow, windowMs, searchPerSecond } = HUBSPOT_PROFESSIONAL;
  return Math.max((calls / perWindow) * (windowMs / 1000), searches / searchPerSecond);
}

/** Per entity, in round order: when its pages were read, when it was planned, pushed and recorded. */
function timeline(events: readonly { at: number; event: ProgressEvent }[]): string[] {
  const entities = [...new Set(events.map((e) => e.event.entity))];
  const s = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(1));
  return entities.map((entity) => {
    const of = (kind: ProgressEvent['kind']) =>
      events.filter((e) => e.event.entity === entity && e.event.kind === kind).map((e) => e.at);
    const [pulled, planned, pushed, recorded] = [of('pulled'), of('planned'), of('pushed'), of('recorded')];
    return (
      `${entity}: pulled ${s(pulled[0])}–${s(pulled.at(-1))} s (${pulled.length} pages), planned ${s(planned[0])} s, ` +
      `pushed ${s(pushed[0])}–${s(pushed.at(-1))} s (${pushed.length} batches), recorded ${s(recorded[0])} s`
    );
  });
}

/** Seeds both sandboxes, runs three rounds in this process on an in-memory SQLite store, returns the figures. */
export async function measureSync(options: SyncOptions): Promise<SyncFigures> {
  const limits = options.limits ?? 'raised';
  const sf = await startSalesforceSandbox({ seed: 7, ...EXAMPLE_ORG });
  const hs = await HubSpotSandbox.start({
    seed: 7,
    limits: limits === 'hubspot' ? HUBSPOT_PROFESSIONAL : { perWindow: 100_000, searchPerSecond: 1000 },
    customProperties: EXAMPLE_CUSTOM_PROPERTIES,
  });
  const store = await openStore('sqlite::memory:');
  try {
    const project = await loadProject('config/example.yaml');
    if (!project.ok) throw new Error('config/example.yaml does not load');
    const { config, policy } = project.value;
    const env = sandboxEnv(sf, hs);
    const context = (onProgress?: (event: ProgressEvent) => void): SyncContext => {
      const connectors: Record<string, Connector> = {};
      for (const name of config.sync.pair) {
        const connection = config.connections[name];
        if (connection) connectors[name] = createConnector(resolveConnection(connection, env));
      }
      const ctx = {
        config,
        mapping: compileMapping(config),
        policy,
        store,
        connectors,
        now: () => new Date(),
      };
      return onProgress === undefined ? ctx : { ...ctx, onProgress };
    };
    const seeded =
      options.data === 'scale' ? seedScale(sf, hs, options.people) : seedDemo(sf, hs, options.people);
    const calls = (): SystemCalls => ({ sf: sf.calls(), hs: hs.calls() });

    const started = performance.now();
    const events: { at: number; event: ProgressEvent }[] = [];
    const report = await runSync(
      context((event) => events.push({ at: (performance.now() - started) / 1000, event })),
    );
    const seconds = (performance.now() - started) / 1000;
    const firstCalls = calls();
    const hsByEndpoint = hs.callsByEndpoint();
    const sfByEndpoint = Object.fromEntries(
      [
        'query',
        'queryMore',
        'queryAll',
        'describe',
        'limits',
        'collections:create',
        'collections:update',
        'soap',
      ]
        .map((name) => [name, sf.calls(name)] as const)
        .filter(([, n]) => n > 0),
    );
    const searches = hsByEndpoint['POST /crm/v3/objects/search'] ?? 0;
    const refused = Object.values(hs.limiter.refused).reduce((a, b) => a + b, 0);
    const objects = { sf: new Set<string>(), hs: new Set<string>() };
    for (const r of Object.values(report.entities))
      for (const target of Object.keys(r.read)) objects[system(target)].add(target);

    /** Runs a round; what it wrote and the calls it made. */
    const round = async (): Promise<LaterRound> => {
      const start = performance.now();
      const before = calls();
      const later = await runSync(context());
      const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      const after = calls();
      return {
        seconds: (performance.now() - start) / 1000,
        writes: Object.values(later.entities).reduce((n, r) => n + sum(r.creates) + sum(r.updates), 0),
        calls: { sf: after.sf - before.sf, hs: after.hs - before.hs },
      };
    };
    const second = await round();
    const idle = await round();
    return {
      people: options.people,
      seeded: { ...seeded },
      first: {
        seconds,
        calls: firstCalls,
        minimum: minimumCalls(report),
        entities: report.entities,
        byEndpoint: { sf: sfByEndpoint, hs: hsByEndpoint },
        bound: limits === 'hubspot' ? hubspotBound(firstCalls.hs, searches) : 0,
        refused,
        timeline: timeline(events),
      },
      second,
      idle,
      objects: { sf: [...objects.sf].sort(), hs: [...objects.hs].sort() },
    };
  } finally {
    await store.close();
    await Promise.all([sf.close(), hs.close()]);
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { people: { type: 'string', default: '20000' } } });
  const f = await measureSync({ people: Number(values.people) });
  const s = f.seeded;
  console.log(
    `seeded ${s.leads} leads, ${s.contacts} contacts, ${s.accounts} accounts, ${s.opportunities} opportunities in Salesforce; ${s.hubspotContacts} contacts (${s.overlap} shared), ${s.hubspotCompanies} companies, ${s.hubspotDeals} deals in HubSpot`,
  );
  for (const [entity, r] of Object.entries(f.first.entities)) {
    console.log(
      `  ${entity}: read ${JSON.stringify(r.read)}, created ${JSON.stringify(r.creates)}, updated ${JSON.stringify(r.updates)}, converted ${r.conversions}, quarantined ${r.quarantined}`,
    );
  }
  const { calls, minimum: min } = f.first;
  console.log(`initial round: ${f.first.seconds.toFixed(1)} s`);
  console.log(
    `  Salesforce: ${calls.sf} calls (+1 token), minimum ${min.sf}: ${(calls.sf / min.sf).toFixed(3)}x`,
  );
  console.log(
    `    ${Object.entries(f.first.byEndpoint.sf)
      .map(([n, c]) => `${n} ${c}`)
      .join(', ')}`,
  );
  console.log(`  HubSpot: ${calls.hs} calls, minimum ${min.hs}: ${(calls.hs / min.hs).toFixed(3)}x`);
  console.log(`    ${JSON.stringify(f.first.byEndpoint.hs)}`);
  const total = calls.sf + calls.hs;
  const totalMin = min.sf + min.hs;
  console.log(
    `  both: ${total} calls, minimum ${totalMin}: ${(total / totalMin).toFixed(3)}x (target <= 1.05x)`,
  );
  const later = (label: string, r: LaterRound) =>
    console.log(
      `${label}: ${r.seconds.toFixed(1)} s, ${r.writes} writes, ${r.calls.sf} Salesforce and ${r.calls.hs} HubSpot calls`,
    );
  // The records Salesforce's lead conversions made (contacts, accounts, opportunities) cross over, and everything
  // round 1 wrote is read back once and recognised as crm-bridge's own writes.
  later('second round (conversions cross over; round 1 echoes read back)', f.second);
  later('third round (nothing changed)', f.idle);
}
