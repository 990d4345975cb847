import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../sandboxes/demo-data.ts';
import { sandboxEnv } from '../../sandboxes/env.ts';
import { HubSpotSandbox } from '../../sandboxes/hubspot/index.ts';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { openStore, type RunRecord } from '../../src/store/index.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from '../jobs/redis-prefix.ts';
import { commandsIn, containerFile, envFile, exportedNames, unitFile } from './readme-path.ts';

/**
 * The README's way from an installed crm-bridge to a running worker, run as a new user runs it: every command of
 * its `readme-test` blocks, in order, in an empty folder, against a new org and a new portal that hold records, with
 * the environment its `readme-env` block names pointed at them. Then the service files it installs (deploy/): the
 * systemd unit verified, the container file checked against the build and the unit, and the unit's command run.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
};
const BIN_NAME = Object.keys(PACKAGE.bin)[0] ?? '';
const UNIT = unitFile(readFileSync(join(ROOT, 'deploy/crm-bridge-worker.service'), 'utf8'));
const CONTAINER = containerFile(readFileSync(join(ROOT, 'deploy/Containerfile'), 'utf8'));
const ENV_FILE = envFile(readFileSync(join(ROOT, 'deploy/crm-bridge.env'), 'utf8'));
/** The V8 settings the unit gives the worker (the memory benchmark runs with the same). */
const NODE_OPTIONS = /^NODE_OPTIONS=(.*)$/.exec(UNIT.Environment ?? '')?.[1] ?? '';

/** What a command printed and how it ended. */
interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one README line with bash, bounded in time; the sandboxes answer meanwhile (they live in this process). */
function sh(line: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A loopback port no one listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

describe('the README path, from init to a running worker', () => {
  let sf: SalesforceSandbox;
  let hs: HubSpotSandbox;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let sandboxVars: Record<string, string>;
  const prefix = testPrefix();
  /** Both CRMs' records, per object, to tell whether a command wrote anything. */
  const snapshot = () =>
    Object.fromEntries([
      ...['Lead', 'Contact', 'Account', 'Opportunity'].map((o) => [
        `sf ${o}`,
        JSON.stringify([...sf.store.all(o)]),
      ]),
      ...['contacts', 'companies', 'deals'].map((o) => [`hs ${o}`, JSON.stringify(hs.store.all(o))]),
    ]) as Record<string, string>;
  /** The objects whose records changed between two snapshots. */
  const changed = (before: Record<string, string>, after: Record<string, string>) =>
    Object.keys(before).filter((o) => before[o] !== after[o]);

  beforeAll(async () => {
    // A new org and a new portal: no custom field until `setup --apply` creates them.
    sf = await startSalesforceSandbox({ seed: 13 });
    hs = await HubSpotSandbox.start({ seed: 13, limits: { perWindow: 10_000, searchPerSecond: 1000 } });
    dir = mkdtempSync(join(tmpdir(), 'crm-bridge-readme-'));
    // `npx crm-bridge …` runs this checkout's command, as an installed package's would; npx fetches nothing.
    const shims = mkdtempSync(join(dir, 'bin-'));
    writeFileSync(
      join(shims, 'npx'),
      `#!/bin/sh\nif [ "$1" = ${BIN_NAME} ]; then shift; exec "${process.execPath}" "${join(ROOT, PACKAGE.bin[BIN_NAME] ?? '')}" "$@"; fi\n` +
        'echo "the README test runs npx crm-bridge only" >&2; exit 127\n',
      { mode: 0o755 },
    );
    sandboxVars = sandboxEnv(sf, hs);
    env = {
      PATH: [shims, dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
      HOME: dir,
      LANG: 'C.UTF-8',
      ...sandboxVars,
      REDIS_URL,
      CRM_BRIDGE_QUEUE_PREFIX: prefix,
    };
  }, 60_000);
  afterAll(async () => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    await Promise.all([sf?.close(), hs?.close(), dropPrefix(prefix)]);
  });

  it('names in its environment block only what the sandboxes stand in for, and the service file names it all', () => {
    const names = exportedNames(README);
    expect(names).toEqual(
      expect.arrayContaining(['SALESFORCE_INSTANCE_URL', 'SALESFORCE_REFRESH_TOKEN', 'HUBSPOT_ACCESS_TOKEN']),
    );
    for (const name of names) expect(sandboxVars, name).toHaveProperty(name);
    // The service gets the same settings, with the credentials left for the operator to fill in.
    for (const name of names) expect(ENV_FILE, name).toHaveProperty(name);
    for (const [name, value] of Object.entries(ENV_FILE)) {
      expect(README, `${name} is in the README's Environment table`).toContain(`\`${name}\``);
      if (/TOKEN|SECRET|PASSWORD/.test(name)) expect(value, name).toBe('');
    }
  });

  it('runs every command the README shows, in order: everyone synced, nothing held, the last round idle', async () => {
    const commands = commandsIn(README, 'readme-test');
    expect(commands.map((c) => c.line)).toEqual(
      expect.arrayContaining([
        'npx crm-bridge init',
        'npx crm-bridge setup --apply',
        'npx crm-bridge sync --once',
      ]),
    );
    const syncs = commands.filter((c) => /^npx crm-bridge sync --once(?! --dry-run)/.test(c.line));
    expect(syncs.length).toBeGreaterThanOrEqual(2);
    for (const command of commands) {
      const before = snapshot();
      const ran = await sh(command.text, dir, env);
      expect(ran.code, `README.md:${command.at} ${command.text}\n${ran.stdout}${ran.stderr}`).toBe(
        command.exits,
      );
      // A dry run writes nothing; nor does the last round (crm-bridge's own writes are not written back).
      if (command.line.includes('--dry-run') || command === syncs.at(-1))
        expect(changed(before, snapshot()), `README.md:${command.at} ${command.text} wrote`).toEqual([]);
      // The teams fill both CRMs (the demo's people use the fields setup made) before the first round reads them.
      if (command.line === 'npx crm-bridge setup --apply') seedDemo(sf, hs, 40);
    }

    // Every person once per side: the same e-mails in both CRMs, none twice; nothing held or refused.
    const sfEmails = [
      ...[...sf.store.all('Lead')].filter((r) => r.IsConverted !== true),
      ...sf.store.all('Contact'),
    ].map((r) => String(r.Email).toLowerCase());
    const hsEmails = hs.store.all('contacts').map((c) => String(c.properties.email).toLowerCase());
    expect(new Set(sfEmails).size).toBe(sfEmails.length);
    expect([...sfEmails].sort()).toEqual([...hsEmails].sort());
    const store = await openStore(`sqlite:${join(dir, 'data', 'crm-bridge.db')}`);
    try {
      const held = (await store.listQuarantine()).filter((e) => e.kind === 'held' || e.kind === 'refused');
      expect(held).toEqual([]);
      const runs = await store.listRuns(10);
      expect(runs.map((r) => r.status)).toEqual(syncs.map(() => 'succeeded'));
    } finally {
      await store.close();
    }
    for (const file of ['crm-bridge.yaml', '.env.example', 'policy.default.yaml', 'first-round.html'])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(readFileSync(join(dir, 'first-round.html'), 'utf8')).toContain('<svg');
  }, 90_000);

  it('ships a systemd unit that verifies, runs the package’s command, and reads the environment file', async () => {
    const [exec = '', ...args] = UNIT.ExecStart?.split(/\s+/) ?? [];
    // Installed with npm install --prefix /opt/crm-bridge, the package's bin is linked under node_modules/.bin.
    expect(exec).toBe(`/opt/crm-bridge/node_modules/.bin/${BIN_NAME}`);
    expect(args[0]).toBe('worker');
    expect(UNIT.EnvironmentFile).toBe('/etc/crm-bridge/crm-bridge.env');
    // The README installs the package's environment file and unit where the unit looks for them.
    expect(README).toContain(
      `/opt/crm-bridge/node_modules/crm-bridge/deploy/${basename(UNIT.EnvironmentFile ?? '')} /etc/crm-bridge/`,
    );
    expect(README).toContain('deploy/crm-bridge-worker.service /etc/systemd/system/');
    expect(PACKAGE.files).toEqual(
      expect.arrayContaining(['deploy/crm-bridge-worker.service', 'deploy/crm-bridge.env']),
    );
    const bin = join(ROOT, PACKAGE.bin[BIN_NAME] ?? '');
    accessSync(bin, constants.X_OK);
    const verify = await sh('command -v systemd-analyze', dir, env);
    if (verify.code === 0) {
      const unit = join(dir, 'crm-bridge-worker.service');
      writeFileSync(
        unit,
        readFileSync(join(ROOT, 'deploy/crm-bridge-worker.service'), 'utf8').replace(exec, bin),
      );
      const verified = await sh(`systemd-analyze verify ${unit}`, dir, env);
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stderr).toBe('');
    }
  });

  it('ships a container file that builds the package as a release does and runs the unit’s command', () => {
    const runs = CONTAINER.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /^npm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /^npm pack\b/.test(r))).toBe(true);
    expect(runs.some((r) => /npm install --global --omit=dev .*crm-bridge\.tgz/.test(r))).toBe(true);
    // Every file the build reads is copied in, and the ignore file lets each through.
    const copied = CONTAINER.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from')).flatMap((i) =>
      i.args.split(/\s+/).slice(0, -1),
    );
    const ignore = readFileSync(join(ROOT, 'deploy/Containerfile.dockerignore'), 'utf8');
    for (const path of copied) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
      expect(ignore).toContain(`\n!${path}\n`);
    }
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      ...build.include,
      ...PACKAGE.files.filter((f) => f !== 'dist' && !f.startsWith('deploy/')),
    ];
    for (const path of needed)
      expect(
        copied.some((c) => path === c || path.startsWith(`${c}/`)),
        `${path} is copied`,
      ).toBe(true);
    // The image's command is the unit's, with the same config and state store.
    const json = (op: string) => JSON.parse(CONTAINER.find((i) => i.op === op)?.args ?? 'null') as string[];
    expect(json('ENTRYPOINT')).toEqual([BIN_NAME]);
    expect(json('CMD')).toEqual(UNIT.ExecStart?.split(/\s+/).slice(1));
    const envs = CONTAINER.filter((i) => i.op === 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(envs).toContain(`CRM_BRIDGE_CONFIG=${ENV_FILE.CRM_BRIDGE_CONFIG}`);
    expect(envs).toContain(`DATABASE_URL=${ENV_FILE.DATABASE_URL}`);
    // The same V8 settings as the unit.
    expect(NODE_OPTIONS).toMatch(/^--max-semi-space-size=\d+$/);
    expect(envs).toContain(`NODE_OPTIONS=${NODE_OPTIONS}`);
  });

  it('runs the unit’s command as a worker: healthy, a first round that writes nothing and keeps its report, a clean stop', async () => {
    const port = await freePort();
    const [, ...args] = UNIT.ExecStart?.split(/\s+/) ?? [];
    const flags = args.map((a, n) => (args[n - 1] === '--port' ? String(port) : a));
    // The unit's and the environment file's settings, with its paths moved to the folder the README path ran in.
    const database = `sqlite:${join(dir, 'data', 'crm-bridge.db')}`;
    const workerEnv = {
      ...env,
      NODE_OPTIONS,
      ...ENV_FILE,
      ...sandboxVars,
      CRM_BRIDGE_CONFIG: join(dir, 'crm-bridge.yaml'),
      DATABASE_URL: database,
      REDIS_URL,
    };
    const before = snapshot();
    let round: RunRecord | undefined;
    const logged = await openStore(database);
    const rounds = (await logged.listRuns(100)).length;
    await logged.close();
    const worker: ChildProcess = spawn(
      process.execPath,
      [join(ROOT, PACKAGE.bin[BIN_NAME] ?? ''), ...flags],
      {
        cwd: dir,
        env: workerEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let log = '';
    worker.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    worker.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
    try {
      await until(
        async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200,
        30_000,
        'the worker to answer /healthz',
      );
      let run: RunRecord | undefined;
      await until(
        async () => {
          const store = await openStore(database);
          try {
            const runs = await store.listRuns(10);
            run = runs.length > rounds && runs[0]?.status !== 'running' ? runs[0] : undefined;
          } finally {
            await store.close();
          }
          return run !== undefined;
        },
        45_000,
        'the schedule’s first round',
      );
      expect(run?.status, log).toBe('succeeded');
      round = run;
      expect(changed(before, snapshot()), 'the worker’s first round wrote to a CRM').toEqual([]);
    } finally {
      worker.kill('SIGTERM');
    }
    expect(await exited, log).toBe(0);
    for (const value of Object.values(sandboxVars).filter((v) => !v.startsWith('http')))
      expect(log).not.toContain(value);
    // The worker's round has its report in the run log, as a sync --once round does.
    const shown = await sh(`npx crm-bridge status --run ${round?.id ?? ''}`, dir, {
      ...env,
      DATABASE_URL: database,
    });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`round ${round?.id} sf-hs succeeded`);
    expect(shown.stdout).not.toContain('logged without report figures');
  }, 90_000);
});
