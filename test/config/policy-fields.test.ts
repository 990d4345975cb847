import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load.ts';
import { formatIssue } from '../../src/config/yaml-source.ts';

/** A policy that reads a custom field the config never fills would silently never match: it is refused. */
describe('custom fields a policy reads', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-bridge-policy-fields-'));
    copyFileSync('config/example.yaml', join(dir, 'crm-bridge.yaml'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the default policy with the example config, which maps every custom field it reads', async () => {
    copyFileSync('config/policy.default.yaml', join(dir, 'policy.default.yaml'));
    expect((await loadProject(join(dir, 'crm-bridge.yaml'))).ok).toBe(true);
  });

  it('names a misspelled custom field with its line and column, and the one the config maps', async () => {
    const policy = readFileSync('config/policy.default.yaml', 'utf8');
    writeFileSync(
      join(dir, 'policy.default.yaml'),
      policy.replace('field: custom.budget,', 'field: custom.budgt,'),
    );
    const loaded = await loadProject(join(dir, 'crm-bridge.yaml'));
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues.map(formatIssue)).toEqual([
      expect.stringMatching(
        /policy\.default\.yaml:\d+:\d+ bant\.criteria\.budget\.field: custom\.budgt is not mapped by the config \(objects\.person\.fields has no unified: custom\.budgt\), so it is never filled \(did you mean "custom\.budget"\?\)$/,
      ),
    ]);
  });
});
