import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Each sandbox's serve.ts answers --help, and a wrong option in one line with the usage, never a stack trace. */
describe.each([
  ['salesforce', '--leads', 'node sandboxes/salesforce/serve.ts [--leads N] [--new-org]'],
  ['hubspot', '--contacts', 'node sandboxes/hubspot/serve.ts [--contacts N] [--new-portal]'],
  ['pipedrive', '--persons', 'node sandboxes/pipedrive/serve.ts [--persons N] [--new-company]'],
])('node sandboxes/%s/serve.ts', (name, count, usage) => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [`sandboxes/${name}/serve.ts`, ...args], {
      encoding: 'utf8',
      timeout: 15_000,
    });

  it('prints its usage with --help and exits 0', () => {
    const ran = run('--help');
    expect(ran.status).toBe(0);
    expect(ran.stdout).toBe(`usage: ${usage}\n`);
  });

  it('says what is wrong with an unknown option or a count, with the usage, and exits 2', () => {
    const unknown = run('--bogus');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown option '--bogus'/);
    expect(unknown.stderr).toContain(`usage: ${usage}`);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const wrong = run(count, 'ten');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe(`${count} expects a whole number; got "ten"\nusage: ${usage}\n`);
  });
});
