import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';

// What a user reads when DATABASE_URL or REDIS_URL is wrong: one line on stderr with what happened and what to set,
// exit 1, no stack trace, no password. (setup-problems-process.test.ts runs the installed command for the cases
// that used to hang, to show the process itself ends.)

/** Credentials the example config names, so that a command gets past building its connectors (no call is made). */
const CRM_ENV = {
  SALESFORCE_INSTANCE_URL: 'https://example.invalid',
  SALESFORCE_ACCESS_TOKEN: 'not-used',
  HUBSPOT_ACCESS_TOKEN: 'not-used',
};
const VARIABLES = ['DATABASE_URL', 'REDIS_URL', ...Object.keys(CRM_ENV)];

/** Runs the command with these variables (and none of the others above), as a user would see it. */
async function run(args: readonly string[], env: Record<string, string>) {
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  const output = captureOutput();
  const started = Date.now();
  try {
    const code = await main(['node', 'crm-bridge', ...args], output);
    return { code, ...output, ms: Date.now() - started };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-setup-'));
const goodStore = `sqlite:${join(dir, 'state.db')}`;
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a folder, and not a database either\n');
let closedPort: number;

beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fix = 'set DATABASE_URL to a file in a folder this user can write, e.g. sqlite:./data/crm-bridge.db';

describe('a DATABASE_URL the state store cannot use', () => {
  it.each([
    [
      'mysql://admin:hunter2@db/crm',
      'invalid environment: DATABASE_URL: expected sqlite:<path> or postgres://…, e.g. sqlite:./data/crm-bridge.db; got "mysql://admin:***@db/crm"',
    ],
    [
      'garbage',
      'invalid environment: DATABASE_URL: expected sqlite:<path> or postgres://…, e.g. sqlite:./data/crm-bridge.db; got "garbage"',
    ],
    ['sqlite:', 'DATABASE_URL sqlite: needs a path, e.g. sqlite:./data/crm-bridge.db'],
    [
      `sqlite:${dir}`,
      `the state store sqlite:${dir} cannot be opened: ${dir} is a folder; name a file in it, e.g. sqlite:${join(dir, 'crm-bridge.db')}`,
    ],
    [
      `sqlite:${aFile}/x.db`,
      `the state store sqlite:${aFile}/x.db cannot be opened: ${aFile} is a file, not a folder; ${fix}`,
    ],
    [
      `sqlite:${aFile}`,
      `the state store sqlite:${aFile} cannot be opened (file is not a database); set DATABASE_URL to a SQLite file this user can write, e.g. sqlite:./data/crm-bridge.db`,
    ],
    [
      'postgres://admin:hunter2@[db/crm',
      'DATABASE_URL is not a valid URL: "postgres://admin:***@[db/crm"; expected postgres://user:password@host:5432/database',
    ],
  ])('crm-bridge quarantine with %s', async (url, message) => {
    const ran = await run(['quarantine'], { DATABASE_URL: url });
    expect(ran.stderr).toBe(`${message}\n`);
    expect(ran.code).toBe(1);
  });

  it('crm-bridge quarantine with a PostgreSQL that is not there: names it, password removed', async () => {
    const ran = await run(['quarantine'], {
      DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${closedPort}/test`,
    });
    expect(ran.stderr).toBe(
      `the state store at postgres://postgres:***@127.0.0.1:${closedPort}/test could not be reached (connect ECONNREFUSED 127.0.0.1:${closedPort}); start PostgreSQL there, or set DATABASE_URL to a server that answers\n`,
    );
    expect(ran.code).toBe(1);
  });

  it('crm-bridge sync --once with sqlite: (after the config and the credentials it names)', async () => {
    const ran = await run(['sync', '--once', '--config', 'config/example.yaml'], {
      ...CRM_ENV,
      DATABASE_URL: 'sqlite:',
    });
    expect(ran.stderr).toBe('DATABASE_URL sqlite: needs a path, e.g. sqlite:./data/crm-bridge.db\n');
    expect(ran.code).toBe(1);
  });

  it('crm-bridge sync --once without the credentials the config names', async () => {
    const ran = await run(['sync', '--once', '--config', 'config/example.yaml'], { DATABASE_URL: goodStore });
    expect(ran.stderr).toMatch(
      /^config\/example\.yaml: connection \w+: .+ \(set the environment variables its env:NAME settings name\)\n$/,
    );
    expect(ran.code).toBe(1);
  });
});

describe('a REDIS_URL nothing answers at', () => {
  it.each([
    ['status'],
    ['replay', '--record', '3', '--config', 'config/example.yaml'],
    ['worker', '--config', 'config/example.yaml', '--port', '0'],
  ])('crm-bridge %s says so at once, before any job', async (...args) => {
    const ran = await run(args, {
      ...CRM_ENV,
      DATABASE_URL: goodStore,
      REDIS_URL: `redis://:hunter2@127.0.0.1:${closedPort}`,
    });
    expect(ran.stderr).toBe(
      `Redis at redis://:***@127.0.0.1:${closedPort} could not be reached (connect ECONNREFUSED 127.0.0.1:${closedPort}); start it, or set REDIS_URL to the Redis of the queues\n`,
    );
    // The worker stops before its first log line.
    expect(ran.stdout).toBe('');
    expect(ran.code).toBe(1);
    expect(ran.ms).toBeLessThan(2_000);
  });

  it('crm-bridge status with a REDIS_URL that is no Redis URL', async () => {
    const ran = await run(['status'], {
      DATABASE_URL: goodStore,
      REDIS_URL: 'http://admin:hunter2@cache:6379',
    });
    expect(ran.stderr).toBe(
      'invalid environment: REDIS_URL: expected redis://host:port or rediss://…; got "http://admin:***@cache:6379"\n',
    );
    expect(ran.code).toBe(1);
  });
});
