/**
 * A PostgreSQL cluster of the fault suite's own, in a temp dir on a free port, so that restarting it disturbs no
 * other test (the shared server on 5432 is never touched). As root, the cluster belongs to the `postgres` user,
 * since initdb and postgres refuse to run as root.
 */

import { execFile, execFileSync } from 'node:child_process';
import { chownSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './private-redis.ts';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** postgres://…, trust auth, database `postgres`. */
  readonly url: string;
  /** Stops the cluster as a crash would (immediate mode: no checkpoint, clients cut) and starts it again. */
  restart(): Promise<void>;
  /** Stops the cluster and removes its files. */
  close(): Promise<void>;
}

/** The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  const majors = readdirSync('/usr/lib/postgresql')
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a));
  if (majors[0] === undefined) throw new Error('no PostgreSQL under /usr/lib/postgresql: install postgresql');
  return join('/usr/lib/postgresql', majors[0], 'bin');
}

/** The uid and gid the cluster runs as: the `postgres` user when this process is root, else this process's own. */
function owner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = await mkdtemp(join(tmpdir(), 'crm-bridge-faults-pg-'));
  const data = join(dir, 'data');
  const as = owner();
  if (as) chownSync(dir, as.uid, as.gid);
  const options = { ...(as ?? {}), timeout: 60_000 };
  await run(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'],
    options,
  );
  const port = await freePort();
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const pgCtl = (...args: string[]) =>
    run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', ...args], options);
  await pgCtl('-o', settings, 'start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart() {
      await pgCtl('-m', 'immediate', 'stop');
      await pgCtl('-o', settings, 'start');
    },
    async close() {
      await pgCtl('-m', 'immediate', 'stop').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
