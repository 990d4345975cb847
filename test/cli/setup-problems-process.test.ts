import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The installed command, with no stdin, for the inputs that used to hang or never return: the process must end
// with one line on stderr and exit 1 within seconds, a server that never answers after the 5 s connect bound. All
// the processes start at once, so the file takes about as long as its slowest case.

const BIN = fileURLToPath(new URL('../../bin/crm-bridge.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CRM_ENV = {
  SALESFORCE_INSTANCE_URL: 'https://example.invalid',
  SALESFORCE_ACCESS_TOKEN: 'not-used',
  HUBSPOT_ACCESS_TOKEN: 'not-used',
};

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs the command with only PATH and `env` set; one still running after 13 s is killed (a hang). */
function run(args: readonly string[], env: Record<string, string>): Promise<Ran> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), 13_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
};

const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-setup-process-'));
/** A fresh store per process: several processes creating one SQLite file at once race in its migrations. */
let stores = 0;
const store = () => `sqlite:${join(dir, `state-${++stores}.db`)}`;
/** Accepts connections and never answers. */
const silent = createServer((socket) => held.push(socket));
const held: Socket[] = [];
let silentPort: number;
let closedPort: number;
let ran: Record<string, Ran>;

beforeAll(async () => {
  silentPort = await listen(silent);
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  const closedRedis = () => ({
    ...CRM_ENV,
    DATABASE_URL: store(),
    REDIS_URL: `redis://127.0.0.1:${closedPort}`,
  });
  const cases: Record<string, Promise<Ran>> = {
    status: run(['status'], closedRedis()),
    replay: run(['replay', '--record', '3', '--config', 'config/example.yaml'], closedRedis()),
    worker: run(['worker', '--config', 'config/example.yaml', '--port', '0'], closedRedis()),
    silentRedis: run(['status'], {
      DATABASE_URL: store(),
      REDIS_URL: `redis://:hunter2@127.0.0.1:${silentPort}`,
    }),
    silentPostgres: run(['sync', '--once', '--config', 'config/example.yaml'], {
      ...CRM_ENV,
      DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${silentPort}/test`,
    }),
    ...(existsSync('/proc/self')
      ? { proc: run(['quarantine'], { DATABASE_URL: 'sqlite:/proc/nope/x.db' }) }
      : {}),
  };
  const done = await Promise.all(Object.values(cases));
  ran = Object.fromEntries(Object.keys(cases).map((name, i) => [name, done[i] as Ran]));
}, 15_000);

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** The one line, exit 1, no stack trace, no password, nothing on stdout (the worker took no job). */
function expectProblem(result: Ran | undefined, stderr: string, withinMs: number): void {
  expect(result?.stderr).toBe(`${stderr}\n`);
  expect(result?.stderr).not.toMatch(/^\s+at /m);
  expect(result?.stdout).toBe('');
  expect(result?.code).toBe(1);
  expect(result?.ms).toBeLessThan(withinMs);
}

const redisAway = (url: string, reason: string) =>
  `Redis at ${url} could not be reached (${reason}); start it, or set REDIS_URL to the Redis of the queues`;

describe('crm-bridge ends at once when its setup cannot work', () => {
  it.each(['status', 'replay', 'worker'])('%s with Redis on a closed port', (name) => {
    expectProblem(
      ran[name],
      redisAway(`redis://127.0.0.1:${closedPort}`, `connect ECONNREFUSED 127.0.0.1:${closedPort}`),
      8_000,
    );
  });

  it('status with a Redis that never answers: after 5 s', () => {
    expectProblem(
      ran.silentRedis,
      redisAway(`redis://:***@127.0.0.1:${silentPort}`, 'no answer within 5 s'),
      12_000,
    );
    expect(ran.silentRedis?.ms).toBeGreaterThanOrEqual(5_000);
  });

  it('sync --once with a PostgreSQL that never answers: after 5 s', () => {
    expectProblem(
      ran.silentPostgres,
      `the state store at postgres://postgres:***@127.0.0.1:${silentPort}/test could not be reached (timeout expired); start PostgreSQL there, or set DATABASE_URL to a server that answers`,
      12_000,
    );
  });

  it.skipIf(!existsSync('/proc/self'))(
    'quarantine with a folder /proc will not make (it used to spin forever)',
    () => {
      expectProblem(
        ran.proc,
        'the state store sqlite:/proc/nope/x.db cannot be opened: the folder /proc/nope cannot be created (ENOENT: no such file or directory); set DATABASE_URL to a file in a folder this user can write, e.g. sqlite:./data/crm-bridge.db',
        8_000,
      );
    },
  );
});
