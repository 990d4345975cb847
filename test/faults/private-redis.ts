/**
 * A Redis of the fault suite's own on a free loopback port, persisting every write (AOF, fsync always) as a
 * production Redis behind BullMQ should: killed and started again, it still holds the queues.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface PrivateRedis {
  readonly url: string;
  /** SIGKILL, then a new server on the same port and files; resolves once it answers. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Whether Redis answers PING within a short connect. */
async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {}); // refused while Redis (re)starts: the answer is false
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function answering(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await answers(url))) {
    if (Date.now() > deadline) throw new Error(`the private Redis at ${url} did not answer within 15 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-bridge-faults-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes'];
  args.push('--appendfsync', 'always', '--dir', dir, '--protected-mode', 'no');
  const start = () => spawn('redis-server', args, { stdio: 'ignore' });
  let server: ChildProcess = start();
  await answering(url);
  const kill = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const gone = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await gone;
  };
  return {
    url,
    async restart() {
      await kill();
      server = start();
      await answering(url);
    },
    async close() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
