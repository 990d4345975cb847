/**
 * Runs the scenario with worker processes until the state settles: a private Redis and a private PostgreSQL,
 * 2–3 `fault-worker.ts` processes on one queue prefix, rounds asked for one after the other until a round
 * succeeds writing nothing. With `chaos`, both sandboxes inject faults and, at seeded random moments, workers are
 * killed (and replaced), Redis is killed and restarted, PostgreSQL is crashed and restarted.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CHILD_QUEUES, SLICE_QUEUE, SYNC_QUEUE } from '../../jobs/names.ts';
import { seededRandom } from '../../sandboxes/kit/index.ts';
import { openStore, type RunRecord, type Store } from '../../src/store/index.ts';
import { keysUnder } from '../jobs/redis-prefix.ts';
import { type PrivatePostgres, startPrivatePostgres } from './private-postgres.ts';
import { type PrivateRedis, startPrivateRedis } from './private-redis.ts';
import {
  type EndState,
  endState,
  newSecrets,
  type RunSecrets,
  recordCounts,
  type Sandboxes,
  seedScenario,
  startSandboxes,
} from './scenario.ts';

export interface Chaos {
  /** Seed of the moments of the kills and restarts and of the sandboxes' fault draws. */
  readonly seed: number;
  /** Worker SIGKILLs (each worker killed is replaced at once). */
  readonly kills: number;
  /** Fault rates of both sandboxes. */
  readonly faults: { unavailable: number; rateLimited: number; reset: number; cut: number };
  /** The kills and restarts happen at random moments within this many ms of the first round's request. */
  readonly windowMs: number;
}

export interface RunOptions {
  readonly people: number;
  readonly workers: number;
  readonly chaos?: Chaos;
  /** The most rounds to ask for before giving up on a settled state. */
  readonly maxRounds: number;
  /** The longest one round may take (all its jobs done), and the whole run. */
  readonly roundTimeoutMs: number;
  readonly totalTimeoutMs: number;
  /** Prints progress lines. */
  readonly log: (line: string) => void;
}

/** Everything crm-bridge kept as text during the run, by where it was found, for the secret scan. */
export interface KeptText {
  readonly where: string;
  readonly text: string;
}

export interface RunOutcome {
  readonly state: EndState;
  readonly counts: Record<string, number>;
  readonly faults: Record<string, number>;
  readonly events: string[];
  readonly rounds: { id: string; status: string; wrote: number }[];
  readonly settled: boolean;
  readonly durationMs: number;
  readonly secrets: RunSecrets;
  readonly issuedTokens: readonly string[];
  readonly kept: readonly KeptText[];
  /** The workers' distinct error and warning lines, with how often each was logged. */
  readonly errors: readonly string[];
}

type Event = { at: number; what: 'kill' | 'redis' | 'postgres' };

/** The chaos plan: kill moments and one restart of each service, drawn from the seed. */
function plan(chaos: Chaos): Event[] {
  const random = seededRandom(chaos.seed);
  const at = () => Math.round(1500 + random.next() * (chaos.windowMs - 1500));
  const events: Event[] = [
    ...Array.from({ length: chaos.kills }, () => ({ at: at(), what: 'kill' as const })),
    { at: at(), what: 'redis' },
    { at: at(), what: 'postgres' },
  ];
  return events.sort((a, b) => a.at - b.at);
}

/** Writes (creates, updates, conversions) a round's summary counts. */
const writesOf = (run: RunRecord) =>
  Object.entries(run.summary?.counts ?? {})
    .filter(([key]) => /\.(created|updated)\.|\.conversions$/.test(key))
    .reduce((n, [, v]) => n + v, 0);

/**
 * The example config with a schedule that never fires (the rounds are the ones the run asks for) and slices of 1,000
 * records, so that the faults and kills also fall between the slices of a window.
 */
async function writeConfig(dir: string): Promise<string> {
  const text = await readFile('config/example.yaml', 'utf8');
  const file = join(dir, 'crm-bridge.yaml');
  await writeFile(
    file,
    text
      .replace('schedule: { every: 15m }', 'schedule: { cron: "0 0 1 1 *" }')
      .replace('slice: 5000', 'slice: 1000'),
  );
  await copyFile('config/policy.default.yaml', join(dir, 'policy.default.yaml'));
  return file;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runScenario(options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const secrets = newSecrets();
  const cleanups: (() => Promise<void>)[] = [];
  const events: string[] = [];
  let workers: Fleet | undefined;
  const note = (line: string) => {
    const stamped = `${((Date.now() - started) / 1000).toFixed(1)} s ${line}`;
    events.push(stamped);
    options.log(stamped);
  };
  try {
    const sb: Sandboxes = await startSandboxes(secrets);
    cleanups.push(sb.close);
    seedScenario(sb, options.people);
    const redis: PrivateRedis = await startPrivateRedis();
    cleanups.push(redis.close);
    const postgres: PrivatePostgres = await startPrivatePostgres();
    cleanups.push(postgres.close);
    const dir = await mkdtemp(join(tmpdir(), 'crm-bridge-faults-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const prefix = '{crm-bridge-faults}';
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...sb.env,
      CRM_BRIDGE_CONFIG: await writeConfig(dir),
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      CRM_BRIDGE_QUEUE_PREFIX: prefix,
    };
    // The store is made by the first worker; the run reads it through its own connection.
    const fleet = new Fleet(env, note);
    workers = fleet;
    cleanups.push(() => fleet.killAll());
    await fleet.spawn();
    const store: Store = await openStore(postgres.url);
    cleanups.push(() => store.close().catch(() => undefined));
    for (let i = 1; i < options.workers; i++) await fleet.spawn();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connection.on('error', () => {});
    cleanups.push(async () => connection.disconnect());
    const queues = [SYNC_QUEUE, ...CHILD_QUEUES, SLICE_QUEUE].map(
      (name) => new Queue(name, { connection, prefix }),
    );
    cleanups.push(async () => {
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    });

    if (options.chaos) {
      sb.sf.setFaults(options.chaos.faults);
      sb.hs.setFaults(options.chaos.faults);
    }
    const pending = options.chaos ? plan(options.chaos) : [];
    if (options.chaos) {
      note(`chaos seed ${options.chaos.seed}: ${pending.map((e) => `${e.what} at ${e.at} ms`).join(', ')}`);
    }
    const random = seededRandom((options.chaos?.seed ?? 0) + 1);
    const chaosStart = Date.now();
    const fire = async () => {
      while (pending[0] !== undefined && Date.now() - chaosStart >= pending[0].at) {
        const event = pending.shift() as Event;
        if (event.what === 'kill') await fleet.killOne(random.int(0, options.workers - 1));
        else if (event.what === 'redis') {
          note('Redis: SIGKILL and restart');
          await redis.restart();
          note('Redis: answering again');
        } else {
          note('PostgreSQL: immediate stop (a crash) and restart');
          await postgres.restart();
          note('PostgreSQL: accepting connections again');
        }
      }
    };
    /** Retries what the run itself asks of Redis or PostgreSQL while one of them restarts. */
    const patiently = async <T>(what: () => Promise<T>): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await what();
        } catch (error) {
          if (attempt >= 60) throw error;
          await sleep(500);
        }
      }
    };
    /** No job of the round left: the config's scheduler keeps its next (yearly) round delayed, which is not one. */
    const idle = async () => {
      const counts = await Promise.all(
        queues.map((q) => q.getJobCounts('active', 'waiting', 'waiting-children', 'prioritized')),
      );
      if (!counts.every((c) => Object.values(c).every((n) => n === 0))) return false;
      const delayed = await Promise.all(queues.map((q) => q.getJobs(['delayed'])));
      return delayed.flat().every((job) => job.repeatJobKey !== undefined);
    };

    const rounds: RunOutcome['rounds'] = [];
    let settled = false;
    const deadline = started + options.totalTimeoutMs;
    for (let round = 1; round <= options.maxRounds && !settled; round++) {
      const before = new Set((await patiently(() => store.listRuns(1000))).map((r) => r.id));
      await patiently(() =>
        (queues[0] as Queue).add('sync', { pair: 'sf-hs', connections: ['sf', 'hs'], trigger: 'manual' }),
      );
      const roundDeadline = Math.min(Date.now() + options.roundTimeoutMs, deadline);
      do {
        await fire();
        await sleep(200);
        if (Date.now() > roundDeadline)
          throw new Error(`round ${round} did not finish within ${options.roundTimeoutMs} ms`);
      } while (!(await patiently(idle)));
      const runs = (await patiently(() => store.listRuns(1000))).filter((r) => !before.has(r.id)).reverse();
      for (const run of runs) {
        rounds.push({ id: run.id, status: run.status, wrote: writesOf(run) });
        note(
          `round ${run.id}: ${run.status}, ${writesOf(run)} writes ${JSON.stringify(run.summary?.errors ?? {})}`,
        );
      }
      const last = runs.at(-1);
      settled = pending.length === 0 && last?.status === 'succeeded' && writesOf(last) === 0;
    }
    const kept = await keptText({ redis: redis.url, prefix, postgres: postgres.url, workers, store });
    return {
      state: endState(sb),
      counts: recordCounts(sb),
      faults: {
        ...Object.fromEntries(Object.entries(sb.sf.server.faults.injected).map(([k, n]) => [`sf ${k}`, n])),
        ...Object.fromEntries(Object.entries(sb.hs.faults()).map(([k, n]) => [`hs ${k}`, n])),
      },
      events,
      rounds,
      settled,
      durationMs: Date.now() - started,
      secrets,
      issuedTokens: [...sb.issuedTokens],
      kept,
      errors: workerErrors(fleet.output),
    };
  } catch (error) {
    if (workers !== undefined)
      options.log(`the workers' errors:\n${workerErrors(workers.output).join('\n')}`);
    throw error;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

/** The distinct error and warning log lines of the workers (message and error), for a failed run's report. */
function workerErrors(output: readonly KeptText[]): string[] {
  const seen = new Map<string, number>();
  for (const { where, text } of output) {
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) {
        if (where.endsWith('stderr') && line.trim() !== '') seen.set(`stderr: ${line.slice(0, 300)}`, 1);
        continue;
      }
      const entry = JSON.parse(line) as {
        level?: number;
        msg?: string;
        err?: { message?: string };
        reason?: string;
      };
      if ((entry.level ?? 0) < 40) continue;
      const key = `${entry.msg} ${entry.err?.message ?? entry.reason ?? ''}`.slice(0, 400);
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return [...seen].map(([line, n]) => `${n} × ${line}`);
}

/** Worker processes, their log lines, kills and replacements. */
class Fleet {
  readonly #env: NodeJS.ProcessEnv;
  readonly #note: (line: string) => void;
  readonly #live: ChildProcess[] = [];
  /** Every worker's stdout (JSON log lines) and stderr, killed ones included. */
  readonly output: KeptText[] = [];
  #count = 0;

  constructor(env: NodeJS.ProcessEnv, note: (line: string) => void) {
    this.#env = env;
    this.#note = note;
  }

  /** Starts a worker; resolves once it logged that it started (or fails after 60 s). */
  async spawn(): Promise<void> {
    const n = ++this.#count;
    const child = spawn(process.execPath, ['test/faults/fault-worker.ts'], {
      env: this.#env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: KeptText = { where: `worker ${n} stdout`, text: '' };
    const err: KeptText = { where: `worker ${n} stderr`, text: '' };
    this.output.push(out, err);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      (out as { text: string }).text += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      (err as { text: string }).text += chunk;
    });
    this.#live.push(child);
    child.once('exit', (code, signal) => {
      // A worker this run did not kill must never stop: a crash is a finding.
      if (this.#live.includes(child))
        this.#note(`worker pid ${child.pid} died unbidden (code ${code}, ${signal})`);
    });
    const deadline = Date.now() + 60_000;
    while (!out.text.includes('"worker started"')) {
      if (child.exitCode !== null) throw new Error(`worker ${n} exited with ${child.exitCode}: ${err.text}`);
      if (Date.now() > deadline) throw new Error(`worker ${n} did not start within 60 s: ${err.text}`);
      await sleep(50);
    }
    this.#note(`worker ${n} started (pid ${child.pid})`);
  }

  /** SIGKILLs one live worker and starts another in its place. */
  async killOne(index: number): Promise<void> {
    const child = this.#live[index % this.#live.length];
    if (child === undefined) return;
    this.#live.splice(this.#live.indexOf(child), 1);
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
    this.#note(`worker pid ${child.pid}: SIGKILL`);
    await this.spawn();
  }

  async killAll(): Promise<void> {
    const children = this.#live.splice(0);
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await gone;
      }),
    );
  }
}

/** Every text crm-bridge kept: worker logs, every Redis key under the prefix, every table of the state store. */
async function keptText(from: {
  redis: string;
  prefix: string;
  postgres: string;
  workers: Fleet;
  store: Store;
}): Promise<KeptText[]> {
  const kept: KeptText[] = [...from.workers.output];
  const redis = new Redis(from.redis);
  try {
    for (const key of await keysUnder(redis, from.prefix)) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'zset'
                  ? await redis.zrange(key, '0', '-1')
                  : type === 'stream'
                    ? await redis.xrange(key, '-', '+')
                    : null;
      kept.push({ where: `Redis ${type} ${key}`, text: `${key} ${JSON.stringify(value)}` });
    }
  } finally {
    redis.disconnect();
  }
  const client = new pg.Client({ connectionString: from.postgres });
  await client.connect();
  try {
    const tables = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    for (const t of tables.rows) {
      const rows = await client.query(`SELECT * FROM "${t.schema}"."${t.name}"`);
      kept.push({ where: `table ${t.schema}.${t.name}`, text: JSON.stringify(rows.rows) });
    }
  } finally {
    await client.end();
  }
  const runs = await from.store.listRuns(1000);
  kept.push({ where: 'run reports', text: JSON.stringify(runs) });
  kept.push({
    where: 'quarantine',
    text: JSON.stringify(await from.store.listQuarantine({ limit: 100_000 })),
  });
  return kept;
}
