import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** The Node.js running the tests first on PATH, so that npm and npx run on it too. */
const PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
const NODE_VERSION_LINE =
  /^crm-bridge needs Node\.js 22\.18 or newer \(this is v\d+\.\d+\.\d+\): install the current LTS from https:\/\/nodejs\.org\S* \(or run: nvm install --lts\), then run crm-bridge again\n$/;

/** Runs a command to its end, bounded in time; what it printed and how it exited. */
function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
) {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...process.env, PATH, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A Node.js older than 22.18 on this machine (the system's, typically), if there is one. */
function olderNode(): string | undefined {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node']);
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    if (dir !== '') candidates.add(join(dir, 'node'));
  for (const node of candidates) {
    try {
      const version = execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
      const [major = 0, minor = 0] = version.slice(1).split('.').map(Number);
      if (major < 22 || (major === 22 && minor < 18)) return node;
    } catch {
      // Not there, or not runnable: the next one.
    }
  }
  return undefined;
}

const OLD_NODE = olderNode();
const work = mkdtempSync(join(tmpdir(), 'crm-bridge-package-'));
// The installed node_modules are large: removing them takes a while on a busy machine.
afterAll(() => rm(work, { recursive: true, force: true }), 120_000);

describe('crm-bridge installed from its packed tarball', () => {
  const app = join(work, 'app');
  let packed: { filename: string; files: { path: string }[] };

  beforeAll(() => {
    // npm pack builds dist/ first (prepack); the tarball is what a registry would serve.
    const pack = run('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: ROOT,
      timeoutMs: 240_000,
    });
    if (pack.code !== 0) throw new Error(`npm pack exited ${pack.code}: ${pack.stderr}`);
    packed = (JSON.parse(pack.stdout) as (typeof packed)[])[0] as typeof packed;
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'tries-crm-bridge', private: true }));
    const install = run('npm', ['install', '--no-audit', '--no-fund', join(work, packed.filename)], {
      cwd: app,
      timeoutMs: 300_000,
    });
    if (install.code !== 0) throw new Error(`npm install exited ${install.code}: ${install.stderr}`);
  }, 600_000);

  it('holds the command, the JavaScript build and the example configs, and no TypeScript source or test', () => {
    const files = packed.files.map((f) => f.path);
    for (const file of [
      'bin/crm-bridge.js',
      'dist/cli/main.js',
      'dist/sandboxes/salesforce/sandbox.js',
      'dist/console/static/console.css',
      'config/example.yaml',
      'config/policy.default.yaml',
      'README.md',
      'LICENSE',
      'package.json',
    ])
      expect(files).toContain(file);
    expect(files.filter((f) => f.endsWith('.ts') || f.startsWith('test/') || f.startsWith('cli/'))).toEqual(
      [],
    );
  });

  it('prints its version', () => {
    const version = run('npx', ['--no-install', 'crm-bridge', '--version'], { cwd: app, timeoutMs: 60_000 });
    expect(version).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  }, 70_000);

  it('validates the example config it ships', () => {
    const file = 'node_modules/crm-bridge/config/example.yaml';
    const valid = run('npx', ['--no-install', 'crm-bridge', 'validate', file], {
      cwd: app,
      timeoutMs: 60_000,
    });
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/^node_modules\/crm-bridge\/config\/example\.yaml: valid \(2 connections; /);
  }, 70_000);

  it('runs the demo: sets the sandboxes up, then syncs them with nothing held or refused', () => {
    const database = join(work, 'demo.db');
    const demo = run(
      'npx',
      ['--no-install', 'crm-bridge', 'demo', '--people', '50', '--database', database],
      {
        cwd: app,
        timeoutMs: 180_000,
      },
    );
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/^sf \(salesforce\): created \d+ fields$/m);
    expect(demo.stdout).toMatch(/^hs \(hubspot\): created \d+ properties$/m);
    expect(
      demo.stdout.match(/^quarantine after this round: 0 held records, 0 refused writes, .*$/gm),
    ).toHaveLength(4);
    expect(demo.stdout).toContain(`State store: ${database}`);
  }, 200_000);

  it.skipIf(OLD_NODE === undefined)('says in one line which Node.js it needs, run by an older one', () => {
    const bin = join(app, 'node_modules', 'crm-bridge', 'bin', 'crm-bridge.js');
    const old = run(OLD_NODE as string, [bin, '--version'], { cwd: app, timeoutMs: 30_000 });
    expect(old.code).toBe(1);
    expect(old.stdout).toBe('');
    expect(old.stderr).toMatch(NODE_VERSION_LINE);
  });
});

describe(`the Node.js version check${OLD_NODE === undefined ? ' (skipped: no Node.js older than 22.18 on this machine)' : ` (with ${OLD_NODE})`}`, () => {
  it.skipIf(OLD_NODE === undefined)('makes npm run demo print one line and exit 1', () => {
    // npm run demo with the older Node first on PATH, as a user who has not upgraded runs it.
    const bin = join(work, 'old-node');
    mkdirSync(bin, { recursive: true });
    symlinkSync(OLD_NODE as string, join(bin, 'node'));
    const npm = realpathSync(
      execFileSync('sh', ['-c', 'command -v npm'], {
        encoding: 'utf8',
        env: { ...process.env, PATH },
      }).trim(),
    );
    const demo = run(process.execPath, [npm, 'run', '--silent', 'demo'], {
      cwd: ROOT,
      env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
      timeoutMs: 60_000,
    });
    expect(demo.stdout).toBe('');
    expect(demo.stderr).toMatch(NODE_VERSION_LINE);
    expect(demo.code).toBe(1);
  });

  it.skipIf(OLD_NODE === undefined)('does the same for any command run from the sources', () => {
    const old = run(
      OLD_NODE as string,
      [join(ROOT, 'bin', 'crm-bridge.js'), 'validate', 'config/example.yaml'],
      {
        cwd: ROOT,
        timeoutMs: 30_000,
      },
    );
    expect(old).toMatchObject({ code: 1, stdout: '' });
    expect(old.stderr).toMatch(NODE_VERSION_LINE);
  });
});
