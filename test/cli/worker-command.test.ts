import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';

describe('crm-bridge worker flags', () => {
  it.each([
    [['--concurrency', '0'], '--concurrency expects a whole number from 1 to 64; got "0"'],
    [['--push-concurrency', 'many'], '--push-concurrency expects a whole number from 1 to 64; got "many"'],
    [['--port', '70000'], '--port expects a whole number from 0 to 65535; got "70000"'],
    [['--shutdown-timeout', 'soon'], '--shutdown-timeout expects a whole number from 0 to 3600; got "soon"'],
    [
      ['--log-level', 'loud'],
      '--log-level expects one of fatal, error, warn, info, debug, trace; got "loud"',
    ],
  ])('refuses %j', async (flags, message) => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'worker', ...flags], output)).toBe(2);
    expect(output.stderr).toBe(`${message}\n`);
  });

  it('names the config file it cannot load, before touching Redis', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'worker', '--config', 'nowhere.yaml'], output)).toBe(1);
    expect(output.stderr).toContain('nowhere.yaml');
  });

  it('refuses a --wait that is not a number of seconds', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'replay', '--all', '--wait', 'long'], output)).toBe(2);
    expect(output.stderr).toBe('--wait expects a number of seconds; got "long"\n');
  });

  it('asks what to replay', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'replay'], output)).toBe(2);
    expect(output.stderr).toBe('name what to replay: --record <ids...>, --job <ids...>, or --all\n');
  });
});
