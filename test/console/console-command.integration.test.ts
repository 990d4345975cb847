import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleCommand } from '../../cli/console-command.ts';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { workerCommand } from '../../cli/worker-command.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from '../jobs/redis-prefix.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';
import { ADMIN_TOKEN, READONLY_TOKEN } from './console-kit.ts';

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('crm-bridge console and worker --console', () => {
  const saved = { ...process.env };
  const prefix = testPrefix();
  let h: SyncHarness;

  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
    Object.assign(process.env, h.env, {
      DATABASE_URL: h.databaseUrl,
      REDIS_URL,
      CRM_BRIDGE_QUEUE_PREFIX: prefix,
      CRM_BRIDGE_CONFIG: 'config/example.yaml',
    });
    delete process.env.CRM_BRIDGE_CONSOLE_TOKEN;
    delete process.env.CRM_BRIDGE_CONSOLE_READONLY_TOKEN;
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    await h?.close();
    await dropPrefix(prefix);
  });

  it('will not start without a token, or with one too short to guard anything', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'console'], output)).toBe(2);
    expect(output.stderr).toBe(
      'the console needs CRM_BRIDGE_CONSOLE_TOKEN: the token an admin signs in with (at least 16 characters)\n',
    );
    process.env.CRM_BRIDGE_CONSOLE_TOKEN = 'short';
    const short = captureOutput();
    expect(await main(['node', 'crm-bridge', 'worker', '--console'], short)).toBe(2);
    expect(short.stderr).toBe('CRM_BRIDGE_CONSOLE_TOKEN is too short: at least 16 characters\n');
    process.env.CRM_BRIDGE_CONSOLE_TOKEN = ADMIN_TOKEN;
    process.env.CRM_BRIDGE_CONSOLE_READONLY_TOKEN = ADMIN_TOKEN;
    const same = captureOutput();
    expect(await main(['node', 'crm-bridge', 'console'], same)).toBe(2);
    expect(same.stderr).toContain('must differ');
    process.env.CRM_BRIDGE_CONSOLE_READONLY_TOKEN = READONLY_TOKEN;
  });

  it('serves the console on loopback until a signal, and stops cleanly', async () => {
    const signals = new EventEmitter();
    const output = captureOutput();
    const port = await freePort();
    const running = consoleCommand({ port: String(port) }, output, signals);
    await until(() => output.stdout.includes('crm-bridge console on'), 20_000, 'the console to start');
    expect(output.stdout).toBe(
      `crm-bridge console on http://127.0.0.1:${port}/ (sign in with CRM_BRIDGE_CONSOLE_TOKEN)\n`,
    );
    const login = await fetch(`http://127.0.0.1:${port}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<label for="token">Console token</label>');
    signals.emit('SIGTERM');
    expect(await running).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/login`)).rejects.toThrow();
  });

  it('mounts the console on the worker’s port beside /healthz and /metrics, bound to loopback', async () => {
    const signals = new EventEmitter();
    const output = captureOutput();
    const port = await freePort();
    const running = workerCommand({ console: true, port: String(port), logLevel: 'warn' }, output, signals);
    const url = `http://127.0.0.1:${port}`;
    await until(
      async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200,
      20_000,
      'the worker to answer',
    );
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    const home = await fetch(`${url}/`, { redirect: 'manual' });
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login?next=%2F');
    const signIn = await fetch(`${url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: ADMIN_TOKEN }),
      redirect: 'manual',
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const health = await (await fetch(`${url}/`, { headers: { cookie } })).text();
    expect(health).toContain('Next round of sf-hs');
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    signals.emit('SIGTERM');
    expect(await running).toBe(0);
  });
});
