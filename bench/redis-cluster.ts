/**
 * A Redis Cluster of three masters on free loopback ports, each in a temporary directory with AOF on, made with
 * `redis-cli --cluster create`: for `npm run bench` and the cluster connection's test. `restart(i)` kills master i
 * and starts it again on the same port and directory; `close()` stops every server and removes the directories,
 * and must be called also when something failed.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

export interface LocalCluster {
  /** REDIS_URL for crm-bridge: the first master, the others as more seed nodes. */
  readonly url: string;
  readonly ports: readonly number[];
  /** The index of the master serving `key`'s slot (a prefix's hash tag puts all its keys in one). */
  ownerOf(key: string): Promise<number>;
  /** SIGKILL master `index`, then the same server again; resolves once the cluster answers for every slot. */
  restart(index: number): Promise<void>;
  close(): Promise<void>;
}

const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` every 100 ms until it holds; throws after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Asks one node something, on a connection of its own that gives up at once. */
async function ask(port: number, ...command: [string, ...string[]]): Promise<unknown> {
  const redis = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await redis.call(...command);
  } finally {
    redis.disconnect();
  }
}

const clusterOk = async (port: number) =>
  String(await ask(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok');

export async function startCluster(masters = 3): Promise<LocalCluster> {
  const ports: number[] = [];
  const dirs: string[] = [];
  const servers: (ChildProcess | undefined)[] = [];
  const start = (i: number) => {
    const args = ['--port', String(ports[i]), '--bind', '127.0.0.1', '--protected-mode', 'no'];
    args.push(
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      '5000',
    );
    args.push('--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', dirs[i] as string);
    servers[i] = spawn('redis-server', args, { stdio: 'ignore' });
  };
  const kill = async (i: number) => {
    const server = servers[i];
    if (server === undefined || server.exitCode !== null || server.signalCode !== null) return;
    const gone = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await gone;
  };
  // A process that ends (or is ended by a signal it handles) without close() still stops its servers.
  const onExit = () => {
    for (const server of servers) if (server?.exitCode === null) server.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const close = async () => {
    process.off('exit', onExit);
    for (let i = 0; i < servers.length; i++) await kill(i);
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  try {
    for (let i = 0; i < masters; i++) {
      ports.push(await freePort());
      dirs.push(await mkdtemp(join(tmpdir(), 'crm-bridge-cluster-')));
      start(i);
    }
    for (const port of ports)
      await until(async () => (await ask(port, 'PING')) === 'PONG', 10_000, `redis on ${port}`);
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeout: 60_000 },
    );
    for (const port of ports) await until(() => clusterOk(port), 30_000, `the cluster at ${port}`);
  } catch (error) {
    await close();
    throw error;
  }
  const [first, ...others] = ports;
  return {
    url: `redis://127.0.0.1:${first}?cluster=true&nodes=${others.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    async ownerOf(key) {
      const slot = Number(await ask(first as number, 'CLUSTER', 'KEYSLOT', key));
      const slots = (await ask(first as number, 'CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const owner = slots.find(([from, to]) => from <= slot && slot <= to);
      return ports.indexOf(Number(owner?.[2][1]));
    },
    async restart(index) {
      await kill(index);
      start(index);
      for (const port of ports) await until(() => clusterOk(port), 30_000, `the cluster at ${port}`);
    },
    close,
  };
}
