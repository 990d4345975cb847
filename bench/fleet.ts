/**
 * `crm-bridge worker` processes sharing one two-way round of the benchmark's data (`seedScale`), on one Redis (or Redis
 * Cluster) prefix and one PostgreSQL schema, with the HubSpot sandbox's limits raised, and the connection's budget
 * with them (`limits:` in its config), so that the CPU is what bounds the round. For `npm run bench`'s
 * scale-out and Redis Cluster rows. `close()` kills the workers and removes the prefix's keys, the schema, the
 * sandboxes and the temporary config, also after a failure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { SYNC_JOB_OPTIONS } from '../jobs/failure-policy.ts';
import { openSyncQueue, requestSync } from '../jobs/queues.ts';
import { connectRedis } from '../jobs/redis.ts';
import { sandboxEnv } from '../sandboxes/env.ts';
import { EXAMPLE_CUSTOM_PROPERTIES, HubSpotSandbox } from '../sandboxes/hubspot/index.ts';
import { EXAMPLE_ORG, startSalesforceSandbox } from '../sandboxes/salesforce/index.ts';
import { openStore } from '../src/store/index.ts';
import { type EndState, endState } from '../test/faults/scenario.ts';
import { postgresDatabase } from '../test/support/databases.ts';
import { type CpuSplit, countCpu } from './cpu.ts';
import { type ScaleCounts, seedScale } from './seed-scale.ts';

export interface FleetRun {
  readonly workers: number;
  readonly seconds: number;
  /** Where the machine's CPU went during the round (Linux; undefined elsewhere). */
  readonly cpu?: CpuSplit;
  /** Records both CRMs held before the round (people, accounts and companies, opportunities and deals). */
  readonly records: number;
  readonly calls: { readonly sf: number; readonly hs: number };
  readonly refused: number;
  /** Both CRMs after the round, normalised (ids replaced by what they point to) for comparing runs. */
  readonly end: EndState;
  /** Restarts done mid-round, by the `during` hook. */
  readonly note?: string;
  /** Attempts of the round that failed before one succeeded (the sync job's next attempt redoes the round). */
  readonly failedAttempts: number;
  /** The workers' error lines (message and error), first ones first. */
  readonly errors: readonly string[];
}

export interface FleetOptions {
  readonly people: number;
  readonly workers: number;
  readonly redisUrl: string;
  readonly prefix: string;
  /** Called once the round is under way (its first batch pushed), e.g. to restart a Redis node. */
  readonly during?: () => Promise<string>;
  readonly timeoutMs?: number;
}

/** A worker's JSON error line as `message: error message`. */
function errorLine(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    return `${parsed.msg ?? ''}${parsed.err?.message === undefined ? '' : `: ${parsed.err.message}`}`;
  } catch {
    return line.slice(0, 200);
  }
}

/** The sandbox's raised limits, which the fleet's HubSpot connection is told of, so that the CPU bounds the round. */
const RAISED = { perWindow: 1_000_000, searchPerSecond: 1000 } as const;

/**
 * The example config with a schedule that never fires (the round is asked for once), and the HubSpot connection's
 * budget raised to the sandbox's limits.
 */
async function fleetConfig(dir: string): Promise<string> {
  const text = await readFile('config/example.yaml', 'utf8');
  const file = join(dir, 'crm-bridge.yaml');
  const raised = text
    .replace('schedule: { every: 15m }', 'schedule: { cron: "0 0 1 1 *" }')
    .replace(
      '    tier: professional\n',
      `    tier: professional\n    limits: { burst: ${RAISED.perWindow}, searchPerSecond: ${RAISED.searchPerSecond} }\n`,
    );
  if (!raised.includes('limits: { burst')) throw new Error("config/example.yaml's HubSpot tier line moved");
  await writeFile(file, raised);
  await copyFile('config/policy.default.yaml', join(dir, 'policy.default.yaml'));
  return file;
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Deletes the prefix's keys: on each master of a Cluster (they all sit in the hash tag's slot), or on the Redis. */
async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  const cluster = redis as unknown as Partial<Cluster>;
  const nodes =
    typeof cluster.nodes === 'function' ? (cluster.nodes('master') as unknown as Redis[]) : [redis];
  for (const node of nodes) {
    const keys = await node.keys(`${prefix}*`);
    for (let i = 0; i < keys.length; i += 500) await node.del(...keys.slice(i, i + 500));
  }
}

/** Seeds, starts the workers, asks for one round, waits for it, and cleans everything up. */
export async function runFleet(options: FleetOptions): Promise<FleetRun> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const sf = await startSalesforceSandbox({ seed: 7, ...EXAMPLE_ORG });
  const hs = await HubSpotSandbox.start({
    seed: 7,
    limits: RAISED,
    customProperties: EXAMPLE_CUSTOM_PROPERTIES,
  });
  const db = postgresDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'crm-bridge-bench-fleet-'));
  const redis = connectRedis(options.redisUrl);
  redis.on('error', () => {});
  // Asked for as the CLI asks for a round: with the sync job's retries, which a restart mid-round may need.
  const queue = openSyncQueue(redis, options.prefix);
  queue.on('error', () => {});
  const children: ChildProcess[] = [];
  // Workers of a bench ended by a signal it handles are not left running.
  const onExit = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  const store = await openStore(db.url);
  try {
    const seeded: ScaleCounts = seedScale(sf, hs, options.people);
    const records =
      seeded.leads +
      seeded.contacts +
      seeded.accounts +
      seeded.opportunities +
      seeded.hubspotContacts +
      seeded.hubspotCompanies +
      seeded.hubspotDeals;
    const env = {
      ...process.env,
      CRM_BRIDGE_CONFIG: await fleetConfig(dir),
      DATABASE_URL: db.url,
      REDIS_URL: options.redisUrl,
      CRM_BRIDGE_QUEUE_PREFIX: options.prefix,
      ...sandboxEnv(sf, hs),
    };
    let pushed = 0;
    const errors: string[] = [];
    for (let i = 0; i < options.workers; i++) {
      const child = spawn(
        process.execPath,
        ['bin/crm-bridge.js', 'worker', '--port', '0', '--log-level', 'debug'],
        {
          env,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      children.push(child);
      let started = false;
      let rest = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) {
          if (line.includes('"worker started"')) started = true;
          if (line.includes('"batch pushed"')) pushed++;
          if (line.includes('"level":50') && errors.length < 20) errors.push(errorLine(line));
        }
      });
      await waitFor(
        () => {
          if (child.exitCode !== null) throw new Error(`worker ${i + 1} exited with code ${child.exitCode}`);
          return started;
        },
        60_000,
        `worker ${i + 1} to start`,
      );
    }
    const before = { sf: sf.calls(), hs: hs.calls() };
    const begun = performance.now();
    const cpu = process.platform === 'linux' ? countCpu() : undefined;
    const jobId = await requestSync(queue, { pair: 'sf-hs', connections: ['sf', 'hs'], trigger: 'manual' });
    let note: string | undefined;
    if (options.during !== undefined) {
      await waitFor(() => pushed > 0, timeoutMs, 'the first batch');
      note = await options.during();
    }
    let failedAttempts = 0;
    await waitFor(
      async () => {
        // A job out of attempts runs the round no more: say why rather than wait out the timeout.
        const job = jobId === undefined ? undefined : await queue.getJob(jobId);
        if (job !== undefined && (await job.getState()) === 'failed')
          throw new Error(
            `the round's job failed for good after ${job.attemptsMade} attempt(s): ${job.failedReason}; ${errors.join('; ')}`,
          );
        const runs = await store.listRuns(10);
        const failed = runs.filter((r) => r.status === 'failed');
        failedAttempts = failed.length;
        // Without a restart a failed attempt is a finding; with one, the job's next attempt redoes the round.
        const allowed = options.during === undefined ? 0 : SYNC_JOB_OPTIONS.attempts - 1;
        if (failed.length > allowed)
          throw new Error(
            `round ${failed[0]?.id} failed: ${JSON.stringify(failed[0]?.summary)}; ${errors.join('; ')}`,
          );
        return runs.some((r) => r.status === 'succeeded');
      },
      timeoutMs,
      'the round',
    );
    const seconds = (performance.now() - begun) / 1000;
    const split = cpu?.(children.flatMap((child) => (child.pid === undefined ? [] : [child.pid])));
    return {
      workers: options.workers,
      seconds,
      ...(split === undefined ? {} : { cpu: split }),
      records,
      calls: { sf: sf.calls() - before.sf, hs: hs.calls() - before.hs },
      refused: Object.values(hs.limiter.refused).reduce((a, b) => a + b, 0),
      end: endState({ sf, hs }),
      ...(note === undefined ? {} : { note }),
      failedAttempts,
      errors,
    };
  } finally {
    process.off('exit', onExit);
    const exits = children.map((child) =>
      child.exitCode === null && child.signalCode === null
        ? new Promise((resolve) => child.once('exit', resolve))
        : Promise.resolve(),
    );
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(exits);
    await queue.close().catch(() => {});
    await dropKeys(redis, options.prefix).catch(() => {});
    redis.disconnect();
    await store.close();
    await db.drop();
    await Promise.all([sf.close(), hs.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}
