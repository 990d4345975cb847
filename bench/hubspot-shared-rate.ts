/**
 * Three worker processes, each with its own HubSpot connector and Redis client, push 20,000 contacts between them
 * to one HubSpot sandbox held at HubSpot's Free/Starter limit (100 requests per rolling 10 s), sharing one call
 * budget through Redis; prints the batch calls made, the 429s met, the seconds taken and the theoretical bound.
 * Run with `node bench/hubspot-shared-rate.ts` (optionally `--contacts N --workers N`); it forks itself with
 * `--worker` for each process.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import * as z from 'zod';
import { createHubSpotConnector } from '../connectors/hubspot/index.ts';
import { RedisCallGate } from '../jobs/shared-window.ts';
import { HubSpotSandbox, SANDBOX_TOKEN } from '../sandboxes/hubspot/index.ts';
import type { Write } from '../src/connector/types.ts';
import { readEnv } from '../src/env.ts';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '20000' },
    workers: { type: 'string', default: '3' },
    worker: { type: 'boolean', default: false },
    url: { type: 'string', default: '' },
    prefix: { type: 'string', default: '' },
    from: { type: 'string', default: '0' },
    count: { type: 'string', default: '0' },
  },
});
const PER_WINDOW = 100;
const WINDOW_MS = 10_000;
/** The connection name the workers share their budget under. */
const PORTAL = 'bench';

/** What a worker process reports when its push is done. */
const Report = z.object({
  pushed: z.number(),
  failed: z.number(),
  calls: z.number(),
  rateLimited: z.number(),
});
type Report = z.infer<typeof Report>;

if (values.worker) await work();
else await lead();

/** One worker process: waits for `go`, pushes its share of the contacts, reports. */
async function work(): Promise<void> {
  const redis = new Redis(readEnv().REDIS_URL);
  try {
    const connector = createHubSpotConnector({
      baseUrl: values.url,
      accessToken: SANDBOX_TOKEN,
      tier: 'starter',
      gate: new RedisCallGate(redis, values.prefix),
      gateKey: PORTAL,
    });
    const from = Number(values.from);
    const writes: Write[] = Array.from({ length: Number(values.count) }, (_, n) => {
      const i = from + n;
      return {
        ref: String(i),
        fields: {
          email: `bench${i}@example.com`,
          firstname: 'Bench',
          lastname: `Contact ${i}`,
          lifecyclestage: 'lead',
        },
      };
    });
    await redis.ping();
    process.send?.('ready');
    await once(process, 'message');
    const results = await connector.push('contacts', writes);
    const failed = results.filter((r) => !r.ok).length;
    const stats = connector.stats();
    const report: Report = {
      pushed: results.length - failed,
      failed,
      calls: stats.calls,
      rateLimited: stats.rateLimited,
    };
    process.send?.(report);
  } finally {
    redis.disconnect();
    process.disconnect?.();
  }
}

/** Starts the sandbox and the workers, lets them all go at once, prints the figures, cleans Redis up. */
async function lead(): Promise<void> {
  const count = Number(values.contacts);
  const workers = Number(values.workers);
  const prefix = `{crm-bridge-bench-${randomBytes(5).toString('hex')}}`;
  const sandbox = await HubSpotSandbox.start({ limits: { perWindow: PER_WINDOW, windowMs: WINDOW_MS } });
  const children: ChildProcess[] = [];
  try {
    // Whole batches of 100 per worker, so that splitting the contacts adds no call.
    const batches = Math.ceil(count / 100);
    const shares = Array.from({ length: workers }, (_, w) => {
      const first = Math.floor((batches * w) / workers) * 100;
      const end = Math.min(count, Math.floor((batches * (w + 1)) / workers) * 100);
      return { from: first, count: Math.max(0, end - first) };
    });
    const reports = shares.map(async (share) => {
      const child = fork(import.meta.filename, [
        '--worker',
        '--url',
        sandbox.url,
        '--prefix',
        prefix,
        '--from',
        String(share.from),
        '--count',
        String(share.count),
      ]);
      children.push(child);
      const [ready] = await once(child, 'message');
      if (ready !== 'ready') throw new Error(`a worker did not start: ${String(ready)}`);
      return child;
    });
    const ready = await Promise.all(reports);
    const started = performance.now();
    const done = ready.map(async (child) => {
      child.send('go');
      const [report] = await once(child, 'message');
      return Report.parse(report);
    });
    const results = await Promise.all(done);
    const seconds = (performance.now() - started) / 1000;

    // A rolling window that starts empty admits PER_WINDOW calls at once, then PER_WINDOW per window after that;
    // at the sustained rate the same calls take batches / (PER_WINDOW / window).
    const burstBound = (Math.ceil(batches / PER_WINDOW) - 1) * (WINDOW_MS / 1000);
    const sustainedBound = batches / (PER_WINDOW / (WINDOW_MS / 1000));
    const failed = results.reduce((sum, r) => sum + r.failed, 0);
    const rateLimited = results.reduce((sum, r) => sum + r.rateLimited, 0);
    console.log(`worker processes:      ${workers}, sharing one budget through Redis`);
    console.log(`contacts pushed:       ${count - failed} of ${count} (${failed} failed)`);
    console.log(`contacts in sandbox:   ${sandbox.count('contacts')}`);
    console.log(
      `batch calls:           ${sandbox.calls('POST /crm/v3/objects/batch/upsert')} (all calls: ${sandbox.calls()}; by worker: ${results.map((r) => r.calls).join(', ')})`,
    );
    console.log(
      `429s seen:             ${rateLimited} (sandbox refused ${sandbox.limiter.refused.TEN_SECONDLY_ROLLING})`,
    );
    console.log(`seconds:               ${seconds.toFixed(1)}`);
    console.log(
      `theoretical bound:     ≥ ${burstBound.toFixed(1)} s from an empty window; ${sustainedBound.toFixed(1)} s at the sustained ${PER_WINDOW} per ${WINDOW_MS / 1000} s`,
    );
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await sandbox.close();
    await dropKeys(prefix);
  }
}

/** Deletes the budget's keys under the bench's own prefix. */
async function dropKeys(prefix: string): Promise<void> {
  const redis = new Redis(readEnv().REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
