import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, parseConfig } from '../../src/config/load.ts';
import { formatIssue } from '../../src/config/yaml-source.ts';

/** A config runs no code and reads no file but its policy (a YAML file) and the key file an env variable names. */
describe('a config cannot run code or read files', () => {
  let dir: string;
  let example: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crm-bridge-config-security-'));
    example = await readFile('config/example.yaml', 'utf8');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const withLine = (line: string) => example.replace(/^version: 1$/m, `version: 1\n${line}`);
  const messages = (text: string) => {
    const result = parseConfig(text, 'crm-bridge.yaml');
    return result.ok ? [] : result.issues.map(formatIssue);
  };

  it.each([
    ['x: !!js/function "function () { globalThis.ran = true }"', '!!js/function'],
    ['x: !!js/regexp /(a+)+$/', '!!js/regexp'],
    ['x: !include /etc/passwd', '!include'],
    ['x: !crm-bridge/read /etc/hostname', '!crm-bridge/read'],
  ])('refuses the tag in %s at its line and column, and runs nothing', (line, tag) => {
    const found = messages(withLine(line));
    expect(found).toEqual([
      `crm-bridge.yaml:6:4 unknown YAML tag ${tag}: a config holds plain values (text, numbers, true/false, lists, mappings); remove the tag`,
    ]);
    expect((globalThis as { ran?: boolean }).ran).toBeUndefined();
  });

  it('refuses aliases that expand into a billion laughs, at the first alias, in well under a second', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    ].join('\n');
    const started = performance.now();
    expect(messages(withLine(bomb))).toEqual([
      'crm-bridge.yaml:7:8 invalid YAML: its aliases expand to more than 100 copies; write the values out',
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses lists nested thousands deep with a position, without running out of stack', () => {
    const found = messages(withLine(`deep: ${'['.repeat(5000)}${']'.repeat(5000)}`));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^crm-bridge\.yaml:\d+:\d+ invalid YAML: nested too deeply to read; a config needs a few levels, not thousands$/,
    );
  });

  it('reads as a policy only a YAML file, and never quotes another file', async () => {
    const file = join(dir, 'crm-bridge.yaml');
    await writeFile(file, example.replace('policy: ./policy.default.yaml', 'policy: /etc/passwd'));
    const result = await loadProject(file);
    expect(result.ok).toBe(false);
    const text = result.ok ? '' : result.issues.map(formatIssue).join('\n');
    expect(text).toMatch(/policy: expected a policy file ending in \.yaml or \.yml; got "\/etc\/passwd"$/);
    expect(text).not.toContain('root:');
  });

  it('quotes a huge pasted value in a message cut short, saying how long it was', () => {
    const found = messages(example.replace(/^version: 1$/m, `version: "${'x'.repeat(100_000)}"`));
    expect(found[0]).toMatch(/^crm-bridge\.yaml:5:10 version: .*"x{120}"… \(100000 characters\)$/);
    expect(found.join('\n').length).toBeLessThan(1000);
  });
});
