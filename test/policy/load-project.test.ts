import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { loadProject } from '../../src/config/load.ts';
import { DEFAULT_POLICY_FILE, loadPolicy } from '../../src/policy/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-project-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const EXAMPLE = readFileSync('config/example.yaml', 'utf8');
const POLICY_LINE = EXAMPLE.split('\n').indexOf('policy: ./policy.default.yaml') + 1;

function project(policyLine: string, policyText?: string): string {
  const config = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(config, EXAMPLE.replace('policy: ./policy.default.yaml', policyLine));
  if (policyText !== undefined) writeFileSync(join(dir, 'policy.yaml'), policyText);
  return config;
}

async function validate(config: string) {
  const output = captureOutput();
  const code = await main(['node', 'crm-bridge', 'validate', config], output);
  return { code, ...output };
}

describe('the config and its policy', () => {
  it('config/example.yaml names the default policy', async () => {
    const loaded = await loadProject('config/example.yaml');
    const policy = await loadPolicy(DEFAULT_POLICY_FILE);
    if (!loaded.ok || !policy.ok) throw new Error('the example config or the default policy is invalid');
    expect(loaded.value.policyFile).toBe('config/policy.default.yaml');
    expect(loaded.value.policy?.version).toBe(policy.value.version);
  });

  it('validate reports the policy it checked', async () => {
    const { code, stdout } = await validate('config/example.yaml');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^config\/example\.yaml: valid \(.*; policy config\/policy\.default\.yaml version [0-9a-f]{12}\)\n$/,
    );
  });

  it('a missing policy file is reported at the config’s policy line', async () => {
    const config = project('policy: ./nowhere.yaml');
    const { code, stderr } = await validate(config);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `${config}:${POLICY_LINE}:9 policy: cannot read the policy: file not found\n${config}: 1 problem\n`,
    );
  });

  it('validate reports the mistakes of both files together', async () => {
    const badPolicy = readFileSync(DEFAULT_POLICY_FILE, 'utf8').replace('hot: 3', 'hot: 9');
    const config = project('policy: policy.yaml', badPolicy);
    writeFileSync(config, readFileSync(config, 'utf8').replace('pair: [sf, hs]', 'pair: [sf, hx]'));
    const { code, stderr } = await validate(config);
    const hotLine = badPolicy.split('\n').indexOf('  hot: 9') + 1;
    const pairLine = EXAMPLE.split('\n').indexOf('  pair: [sf, hs]') + 1;
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        `${config}:${pairLine}:14 sync.pair[1]: unknown connection; expected one of sf, hs; got "hx"`,
        `${join(dir, 'policy.yaml')}:${hotLine}:8 bant.hot: expected at most 4; got 9`,
        `${config}: 2 problems`,
        '',
      ].join('\n'),
    );
  });

  it('a config without a policy loads without one', async () => {
    const loaded = await loadProject(project(''));
    expect(loaded.ok && loaded.value.policy).toBe(undefined);
  });
});
