/**
 * API calls of a full sync against the minimum the data needs, and of the idle round after it:
 * `npm run bench:sync [-- --people N --data demo|scale --limits raised|hubspot --overlap 10s]`.
 *
 * Seeds both sandboxes with overlapping data (the demo's generator, or the benchmark's shape with `seedScale`), runs an
 * initial round and compares the calls each sandbox served with the pages and batches the round could not do
 * without: query pages at each API's largest page size, write batches (Salesforce collections 200, HubSpot batches
 * 100) and convertLead calls (100 leads each). With HubSpot's limits enforced it also gives the time the initial
 * round could not beat at those limits.
 *
 * Every round runs as `crm-bridge sync --once` runs it, its round report counted (`runWithReport`). Then it runs
 * rounds as a long-running worker does, on the same context and connectors, to the idle round: the
 * first round whose previous pull began at least `sync.overlap` after the last write, so that no pull has a write
 * left to read again. The rounds before it (the echo round right after the first, and any round in between) are
 * measured too. `sync.overlap` is shortened for this (10s by default, instead of the config's 2m), and the bench
 * waits that long after the last write rather than the config's.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { runWithReport } from '../cli/report-round.ts';
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
import { durationMs, type SyncContext } from '../src/sync/context.ts';
import type { ProgressEvent } from '../src/sync/progress.ts';
import { runSync, type SyncReport } from '../src/sync/run-sync.ts';
import { seedScale } from './seed-scale.ts';

/** Calls per system. */
/** A round as `crm-bridge sync --once` runs it: the round report counted and kept with the run. */
async function roundAsSyncRuns(ctx: SyncContext): Promise<SyncReport> {
  const { report, figures } = await runWithReport(ctx, false, (c) => runSync(c));
  if (figures === undefined)
    throw new Error('the round kept no report: the bench needs a state store that counts it');
  return report;
}

export interface SystemCalls {
  readonly sf: number;
  readonly hs: number;
}

/** A round after the first: its time, writes and calls. */
export interface LaterRound {
  readonly seconds: number;
  readonly writes: number;
  /** Records read, per `connection/object` (echoes of crm-bridge's own writes included). */
  readonly read: Record<string, number>;
  /** The calls the connectors made in the round (retries included): the difference of their counters. */
  readonly calls: SystemCalls;
  /** What each sandbox served in the round, per endpoint (Salesforce's token requests included). */
  readonly served: { readonly sf: Record<string, number>; readonly hs: Record<string, number> };
  /** Seconds from the last write (the end of the last round that wrote, or of the first) to the round's start. */
  readonly afterWrite: number;
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
  /** `sync.overlap` of every round (the first reads no cursor, so it does not depend on it). */
  readonly overlap: string;
  /** The round right after the first: conversions cross over and round 1's writes are read back as crm-bridge's own. */
  readonly second: LaterRound;
  /**
   * The rounds after it up to and with the one that began `overlap` after the last write (waiting for that when
   * the rounds before were quicker): each still reads what was written within `overlap` before the previous pull.
   */
  readonly between: readonly LaterRound[];
  /** Seconds waited before the rounds in between, so that the last of them began `overlap` after the last write. */
  readonly waited: number;
  /** Nothing changed, and the previous pull began at least `overlap` after the last write. */
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
  /** `sync.overlap` for the rounds (default 10s): the idle round comes that long after the last write. */
  readonly overlap?: string;
}

/** The bench's `sync.overlap`: short, so that the idle round comes soon after the last write. */
export const BENCH_OVERLAP = '10s';

/**
 * Above `overlap` after the last write, before the round whose pull must have begun that late: a CRM's Date header
 * gives whole seconds, so a pull's start may be taken for up to a second earlier than it was.
 */
const DATE_MARGIN_MS = 1000;

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

/** The counts of `now` less those of `before`, without the endpoints that did not grow. */
function grown(
  now: ReadonlyMap<string, number>,
  before: ReadonlyMap<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    [...now]
      .map(([endpoint, n]) => [endpoint, n - (before.get(endpoint) ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

/**
 * Seeds both sandboxes and runs, on an in-memory SQLite store and with one context (its connectors kept, as a
 * worker keeps them), the first round, the round right after it, and rounds until the idle round; returns the
 * figures.
 */
export async function measureSync(options: SyncOptions): Promise<SyncFigures> {
  const limits = options.limits ?? 'raised';
  const overlap = options.overlap ?? BENCH_OVERLAP;
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
    const { policy } = project.value;
    const config = { ...project.value.config, sync: { ...project.value.config.sync, overlap } };
    const env = sandboxEnv(sf, hs);
    const connectors: Record<string, Connector> = {};
    const systemOf: Record<string, keyof SystemCalls> = {};
    for (const name of config.sync.pair) {
      const connection = config.connections[name];
      if (connection === undefined) continue;
      connectors[name] = createConnector(resolveConnection(connection, env));
      systemOf[name] = connection.system === 'salesforce' ? 'sf' : 'hs';
    }
    // The first round's progress, for its timeline; the later rounds' is not kept.
    let onProgress: ((event: ProgressEvent) => void) | undefined;
    const ctx: SyncContext = {
      config,
      mapping: compileMapping(config),
      policy,
      store,
      connectors,
      now: () => new Date(),
      onProgress: (event) => onProgress?.(event),
    };
    const seeded =
      options.data === 'scale' ? seedScale(sf, hs, options.people) : seedDemo(sf, hs, options.people);
    const calls = (): SystemCalls => ({ sf: sf.calls(), hs: hs.calls() });

    const started = performance.now();
    const events: { at: number; event: ProgressEvent }[] = [];
    onProgress = (event) => events.push({ at: (performance.now() - started) / 1000, event });
    const report = await roundAsSyncRuns(ctx);
    onProgress = undefined;
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

    /** When the last write landed: the sandboxes stamp records with this machine's clock, as their Date headers. */
    let lastWrite = Date.now();
    /** The calls the connectors have made so far. */
    const made = (): SystemCalls => {
      const n = { sf: 0, hs: 0 };
      for (const [name, connector] of Object.entries(connectors)) {
        if (connector.calls === undefined) throw new Error(`the ${name} connector does not count its calls`);
        n[systemOf[name] ?? 'hs'] += connector.calls();
      }
      return n;
    };
    /** Runs a round on the same context; what it wrote and the calls it made. */
    const round = async (): Promise<LaterRound> => {
      const start = performance.now();
      const afterWrite = (Date.now() - lastWrite) / 1000;
      const before = {
        made: made(),
        sf: new Map(sf.server.calls),
        hs: new Map(Object.entries(hs.callsByEndpoint())),
      };
      const later = await roundAsSyncRuns(ctx);
      const after = made();
      const end = performance.now();
      const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      const writes = Object.values(later.entities).reduce((n, r) => n + sum(r.creates) + sum(r.updates), 0);
      const read: Record<string, number> = {};
      for (const r of Object.values(later.entities))
        for (const [target, n] of Object.entries(r.read)) read[target] = (read[target] ?? 0) + n;
      if (writes > 0) lastWrite = Date.now();
      return {
        seconds: (end - start) / 1000,
        writes,
        read,
        calls: { sf: after.sf - before.made.sf, hs: after.hs - before.made.hs },
        served: {
          sf: grown(sf.server.calls, before.sf),
          hs: grown(new Map(Object.entries(hs.callsByEndpoint())), before.hs),
        },
        afterWrite,
      };
    };
    const second = await round();
    // Each round reads again what was written within `overlap` before its previous pull began; once a round that
    // wrote nothing began that long after the last write, the round after it has nothing left to read.
    const between: LaterRound[] = [];
    let waited = 0;
    for (;;) {
      // A timer may fire a fraction of a millisecond early: wait again until the moment is reached.
      const from = performance.now();
      for (let wait = lastWrite + durationMs(overlap) + DATE_MARGIN_MS - Date.now(); wait > 0; ) {
        await sleep(wait);
        wait = lastWrite + durationMs(overlap) + DATE_MARGIN_MS - Date.now();
      }
      waited += (performance.now() - from) / 1000;
      const r = await round();
      between.push(r);
      if (r.writes === 0) break;
      if (between.length === 5)
        throw new Error('five rounds after the first still wrote: no idle round to measure');
    }
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
      overlap,
      second,
      between,
      waited,
      idle,
      objects: { sf: [...objects.sf].sort(), hs: [...objects.hs].sort() },
    };
  } finally {
    await store.close();
    await Promise.all([sf.close(), hs.close()]);
  }
}

/** What a later round cost, in a line: the records it read, its writes, the calls per system and its time. */
export function roundFigures(r: LaterRound): string {
  const read = Object.values(r.read).reduce((a, b) => a + b, 0);
  return `${read.toLocaleString('en-US')} records read, ${r.writes.toLocaleString('en-US')} writes, ${r.calls.sf} + ${r.calls.hs} calls, ${r.seconds.toFixed(1)} s`;
}

/** What the sandboxes served in a round, per endpoint. */
export function servedText(r: LaterRound): string {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([endpoint, n]) => `${endpoint} ${n}`)
      .join(', ') || 'nothing';
  return `Salesforce ${list(r.served.sf)}; HubSpot ${list(r.served.hs)}`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '20000' },
      data: { type: 'string', default: 'demo' },
      limits: { type: 'string', default: 'raised' },
      overlap: { type: 'string', default: BENCH_OVERLAP },
    },
  });
  if (values.data !== 'demo' && values.data !== 'scale') throw new Error('--data takes demo or scale');
  if (values.limits !== 'raised' && values.limits !== 'hubspot')
    throw new Error('--limits takes raised or hubspot');
  const f = await measureSync({
    people: Number(values.people),
    data: values.data,
    limits: values.limits,
    overlap: values.overlap,
  });
  const s = f.seeded;
  console.log(
    `seeded ${s.leads} leads, ${s.contacts} contacts, ${s.accounts} accounts, ${s.opportunities} opportunities in Salesforce; ${s.hubspotContacts} contacts (${s.overlap ?? s.inBoth} shared), ${s.hubspotCompanies} companies, ${s.hubspotDeals} deals in HubSpot`,
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
  const later = (label: string, r: LaterRound) => {
    console.log(
      `${label}: ${r.seconds.toFixed(1)} s, ${r.writes} writes, ${r.calls.sf} Salesforce and ${r.calls.hs} HubSpot calls, began ${r.afterWrite.toFixed(1)} s after the last write`,
    );
    console.log(`    read: ${JSON.stringify(r.read)}`);
    console.log(`    served: ${servedText(r)}`);
  };
  console.log(`later rounds: the same connectors, sync.overlap ${f.overlap}`);
  // The records Salesforce's lead conversions made (contacts, accounts, opportunities) cross over, and everything
  // round 1 wrote is read back once and recognised as crm-bridge's own writes.
  later('  round 2, right after the first (conversions cross over; round 1 echoes read back)', f.second);
  console.log(`  waited ${f.waited.toFixed(1)} s`);
  f.between.forEach((r, i) => {
    later(`  round ${i + 3} (reads again what was written within ${f.overlap} before the previous pull)`, r);
  });
  later(
    `  round ${f.between.length + 3}, idle (nothing changed; the previous pull began ${f.overlap} or more after the last write)`,
    f.idle,
  );
}
