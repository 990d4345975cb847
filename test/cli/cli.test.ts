import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';

const run = async (...args: string[]) => {
  const output = captureOutput();
  const code = await main(['node', 'crm-bridge', ...args], output);
  return { code, ...output };
};

describe('crm-bridge CLI', () => {
  it('validates the example config', async () => {
    const { code, stdout } = await run('validate', 'config/example.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('config/example.yaml: valid');
  });

  it('lists every problem of a bad config with its position and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-bridge-cli-'));
    try {
      const file = join(dir, 'bad.yaml');
      const example = await readFile('config/example.yaml', 'utf8');
      await copyFile('config/policy.default.yaml', join(dir, 'policy.default.yaml'));
      await writeFile(
        file,
        example.replace('system: hubspot', 'system: hubspt').replace('rule: prefer:sf', 'rule: twoway'),
      );
      const { code, stderr } = await run('validate', file);
      expect(code).toBe(1);
      expect(stderr).toMatch(
        new RegExp(
          `${file}:\\d+:\\d+ connections\\.hs\\.system: expected one of salesforce, hubspot, pipedrive; got "hubspt"`,
        ),
      );
      expect(stderr).toMatch(/objects\.person\.fields\[3\]\.rule: expected one of two-way, .*; got "twoway"/);
      expect(stderr).toContain(`${file}: 2 problems`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints the result as JSON with --json', async () => {
    const { code, stdout } = await run('validate', '--json', '--config', 'config/missing.yaml');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      issues: [{ file: 'config/missing.yaml', message: 'cannot read the config: file not found' }],
    });
  });

  it('prints a JSON Schema that describes the config', async () => {
    const { code, stdout } = await run('schema');
    expect(code).toBe(0);
    const schema = JSON.parse(stdout) as { $defs: Record<string, { title?: string; required?: string[] }> };
    const root = schema.$defs.CrmBridgeConfig;
    expect(root?.title).toBe('crm-bridge configuration');
    expect(root?.required).toEqual(expect.arrayContaining(['version', 'connections', 'sync', 'objects']));
  });

  it('answers --help with examples and rejects an unknown command', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('crm-bridge validate config/example.yaml');
    const bad = await run('frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown command 'frobnicate'");
  });

  it('runs as an installed bin and prints its version', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/crm-bridge.js', '--version']);
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(stdout.trim()).toBe(pkg.version);
  });
});
