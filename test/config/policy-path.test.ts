import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, loadProject } from '../../src/config/load.ts';
import { formatIssue } from '../../src/config/yaml-source.ts';

describe('the files a config is read from', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is found by an absolute path as well as by one relative to the config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-policy-'));
    dirs.push(dir);
    const file = join(dir, 'crm-bridge.yaml');
    const absolute = resolve('config/policy.default.yaml');
    writeFileSync(
      file,
      readFileSync('config/example.yaml', 'utf8').replace(
        'policy: ./policy.default.yaml',
        `policy: ${absolute}`,
      ),
    );
    const loaded = await loadProject(file);
    expect(loaded.ok).toBe(true);
    expect(loaded.ok && loaded.value.policyFile).toBe(absolute);
  });

  it('says that a folder given as the config is a folder, and which file to name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-policy-'));
    dirs.push(dir);
    const loaded = await loadConfig(dir);
    expect(loaded.ok ? [] : loaded.issues.map(formatIssue)).toEqual([
      `${dir}: cannot read the config: it is a folder; name the file in it, e.g. ${join(dir, 'crm-bridge.yaml')}`,
    ]);
  });
});
