/**
 * Worker processes sharing one round: starts both sandboxes with the demo's overlapping data, spawns N real
 * `crm-bridge worker` processes on one Redis prefix and one state store, and reads what they did. Used by the
 * three-worker acceptance test and by `npm run bench:workers`.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { seedDemo } from '../../sandboxes/demo-data.ts';
import { sandboxEnv } from '../../sandboxes/env.ts';
import { EXAMPLE_CUSTOM_PROPERTIES, HubSpotSandbox } from '../../sandboxes/hubspot/index.ts';
import {
  EXAMPLE_ORG,
  type SalesforceSandbox,
  startSalesforceSandbox,
} from '../../sandboxes/salesforce/index.ts';
import { openStore, type RunRecord, type Store } from '../../src/store/index.ts';

export interface FleetOptions {
  readonly people: number;
  readonly workers: number;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** The queue prefix, with its hash tag; the fleet deletes its keys when it stops. */
  readonly prefix: string;
  /** The HubSpot sandbox's limit per 10 s (HubSpot Free/Starter: 100); the config's tier says the same. */
  readonly hubspotPerWindow: number;
  readonly pushConcurrency?: number;
  /** The config's `sync.slice`: records planned at a time (default the config's). */
  readonly slice?: number;
}

export interface Fleet {
  readonly sf: SalesforceSandbox;
  readonly hs: HubSpotSandbox;
  readonly store: Store;
  /** Each worker's JSON log lines, parsed. */
  readonly logs: readonly Record<string, unknown>[][];
  /** Asks for a round, as an operator would (or as a scheduler tick does, with `schedule`). */
  request(trigger: 'manual' | 'schedule'): Promise<void>;
  /** Waits until `count` rounds succeeded; throws after `timeoutMs` or when a round failed. */
  rounds(count: number, timeoutMs: number): Promise<RunRecord[]>;
  /** SIGTERM to every worker; resolves with their exit codes. */
  stop(): Promise<(number | null)[]>;
  close(): Promise<void>;
}

/** The example config with a HubSpot tier matching the sandbox's limit and a schedule that never fires. */
async function fleetConfig(dir: string, perWindow: number, slice?: number): Promise<string> {
  const text = await readFile('config/example.yaml', 'utf8');
  const file = join(dir, 'crm-bridge.yaml');
  await writeFile(
    file,
    text
      .replace('tier: professional', `tier: ${perWindow <= 100 ? 'starter' : 'professional'}`)
      .replace('schedule: { every: 15m }', 'schedule: { cron: "0 0 1 1 *" }')
      .replace('slice: 5000', `slice: ${slice ?? 5000}`),
  );
  await copyFile('config/policy.default.yaml', join(dir, 'policy.default.yaml'));
  return file;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const sf = await startSalesforceSandbox({ seed: 7, ...EXAMPLE_ORG });
  const hs = await HubSpotSandbox.start({
    seed: 7,
    limits: { perWindow: options.hubspotPerWindow, windowMs: 10_000, searchPerSecond: 4 },
    customProperties: EXAMPLE_CUSTOM_PROPERTIES,
  });
  seedDemo(sf, hs, options.people);
  const dir = await mkdtemp(join(tmpdir(), 'crm-bridge-fleet-'));
  const config = await fleetConfig(dir, options.hubspotPerWindow, options.slice);
  const store = await openStore(options.databaseUrl);
  const env = {
    ...process.env,
    CRM_BRIDGE_CONFIG: config,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    CRM_BRIDGE_QUEUE_PREFIX: options.prefix,
    ...sandboxEnv(sf, hs),
  };
  const logs: Record<string, unknown>[][] = [];
  const children: ChildProcess[] = [];
  const redis = new Redis(options.redisUrl);
  const queue = new Queue('sync', { connection: redis, prefix: options.prefix });
  /** Kills what still runs and removes everything the fleet made: also when a worker did not start. */
  const close = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await queue.close();
    const keys = await redis.keys(`${options.prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await store.close();
    await Promise.all([sf.close(), hs.close()]);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await spawnWorkers(options, env, children, logs);
  } catch (error) {
    await close();
    throw error;
  }
  const exits = children.map(
    (child) => new Promise<number | null>((done) => child.once('exit', (code) => done(code))),
  );
  return {
    sf,
    hs,
    store,
    logs,
    async request(trigger) {
      await queue.add('sync', { pair: 'sf-hs', connections: ['sf', 'hs'], trigger });
    },
    async rounds(count, timeoutMs) {
      let runs: RunRecord[] = [];
      await waitFor(
        async () => {
          runs = await store.listRuns(100);
          const failed = runs.find((r) => r.status === 'failed');
          if (failed !== undefined)
            throw new Error(`round ${failed.id} failed: ${JSON.stringify(failed.summary)}`);
          return runs.filter((r) => r.status === 'succeeded').length >= count;
        },
        timeoutMs,
        `${count} rounds`,
      );
      return runs;
    },
    async stop() {
      for (const child of children) child.kill('SIGTERM');
      return Promise.all(exits);
    },
    close,
  };
}

/** Starts the workers one at a time (the first migrates the store, the others find it ready). */
async function spawnWorkers(
  options: Pick<FleetOptions, 'workers' | 'pushConcurrency'>,
  env: NodeJS.ProcessEnv,
  children: ChildProcess[],
  logs: Record<string, unknown>[][],
): Promise<void> {
  for (let i = 0; i < options.workers; i++) {
    const lines: Record<string, unknown>[] = [];
    logs.push(lines);
    const child = spawn(
      process.execPath,
      [
        'bin/crm-bridge.js',
        'worker',
        '--port',
        '0',
        '--log-level',
        'debug',
        '--push-concurrency',
        String(options.pushConcurrency ?? 4),
      ],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    let rest = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts)
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`worker ${i + 1} exited with code ${child.exitCode}`);
        return lines.some((l) => l.msg === 'worker started');
      },
      30_000,
      `worker ${i + 1} to start`,
    );
  }
}

async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** API writes per record of every object the round writes, with the most any one record received. */
export function writeCounts(fleet: Pick<Fleet, 'sf' | 'hs'>) {
  const out: Record<string, { records: number; writes: number; most: number; twice: number }> = {};
  const add = (name: string, counts: Map<string, number>) => {
    const values = [...counts.values()];
    out[name] = {
      records: values.length,
      writes: values.reduce((a, b) => a + b, 0),
      most: Math.max(0, ...values),
      twice: values.filter((n) => n > 1).length,
    };
  };
  for (const object of ['Lead', 'Contact', 'Account', 'Opportunity'])
    add(`sf/${object}`, fleet.sf.writes(object));
  for (const type of ['contacts', 'companies', 'deals']) add(`hs/${type}`, fleet.hs.writes(type));
  return out;
}

/** E-mail addresses (people) and domains (companies) that more than one live record holds. */
export function duplicates(fleet: Pick<Fleet, 'sf' | 'hs'>): Record<string, string[]> {
  const repeated = (values: readonly (string | undefined)[]) => {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const v of values) {
      if (v === undefined || v === '') continue;
      const key = v.toLowerCase();
      if (seen.has(key)) twice.add(key);
      seen.add(key);
    }
    return [...twice];
  };
  const sfPeople = [
    ...[...fleet.sf.store.all('Lead')].filter((l) => !l.IsDeleted && l.IsConverted !== true),
    ...[...fleet.sf.store.all('Contact')].filter((c) => !c.IsDeleted),
  ];
  return {
    'sf people by e-mail': repeated(sfPeople.map((r) => r.Email as string | undefined)),
    'hs/contacts by e-mail': repeated(fleet.hs.store.all('contacts').map((c) => c.properties.email)),
    'hs/companies by domain': repeated(fleet.hs.store.all('companies').map((c) => c.properties.domain)),
  };
}

/** Runs whose time spans overlap (there must be none: one round per pair at a time). */
export function overlapping(runs: readonly RunRecord[]): [string, string][] {
  const spans = runs
    .map((r) => ({
      id: r.id,
      from: Date.parse(r.startedAt),
      to: Date.parse(r.finishedAt ?? new Date().toISOString()),
    }))
    .sort((a, b) => a.from - b.from);
  const out: [string, string][] = [];
  for (let i = 1; i < spans.length; i++) {
    const [before, after] = [spans[i - 1], spans[i]];
    if (before !== undefined && after !== undefined && after.from < before.to)
      out.push([before.id, after.id]);
  }
  return out;
}
