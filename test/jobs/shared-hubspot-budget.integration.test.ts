import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHubSpotConnector, type HubSpotLimits } from '../../connectors/hubspot/index.ts';
import { RedisCallGate } from '../../jobs/shared-window.ts';
import { HubSpotSandbox, SANDBOX_TOKEN, type SandboxRateLimits } from '../../sandboxes/hubspot/index.ts';
import type { CallGate } from '../../src/connector/call-gate.ts';
import type { Write } from '../../src/connector/types.ts';
import { dropPrefix, keysUnder, REDIS_URL, testPrefix, until } from './redis-prefix.ts';

/** HubSpot's 100 requests per 10 s at a tenth of the window, so that a test sees several windows within seconds. */
const PORTAL: Partial<SandboxRateLimits> = { perWindow: 10, windowMs: 1000, searchPerSecond: 4 };
const BUDGET: HubSpotLimits = { burst: 10, windowMs: 1000, searchPerSecond: 4, safetyMs: 50 };
const WORKERS = 3;

const contacts = (n: number, tag: string): Write[] =>
  Array.from({ length: n }, (_, i) => ({
    ref: `${tag}${i}`,
    fields: { email: `${tag}${i}@example.com`, lastname: tag },
  }));

/** When a gate let calls through and when it was paused, as one worker saw it. */
interface GateLog {
  readonly takes: number[];
  readonly pauses: { readonly from: number; readonly to: number }[];
}

function recording(gate: CallGate, log: GateLog): CallGate {
  return {
    async take(windows, signal) {
      const release = await gate.take(windows, signal);
      log.takes.push(Date.now());
      return release;
    },
    async pause(window, ms) {
      const asked = Date.now();
      await gate.pause(window, ms);
      log.pauses.push({ from: Date.now(), to: asked + ms });
    },
    publish: (allocation, reading) => gate.publish(allocation, reading),
    latest: (allocation) => gate.latest(allocation),
  };
}

describe('one HubSpot budget shared by three worker processes through Redis', () => {
  const prefix = testPrefix();
  // One Redis client per "process", as three workers would have.
  const clients = Array.from({ length: WORKERS }, () => new Redis(REDIS_URL));
  let sandbox: HubSpotSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await dropPrefix(prefix);
  });

  /** Three connectors, each with its own in-process budget and Redis client, sharing the portal `key`. */
  const workers = (portal: HubSpotSandbox, key: string, limits: HubSpotLimits, gates?: CallGate[]) =>
    clients.map((client, i) =>
      createHubSpotConnector({
        baseUrl: portal.url,
        accessToken: SANDBOX_TOKEN,
        tier: 'starter',
        limits,
        retry: { baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 5000 },
        associations: {},
        gate: gates?.[i] ?? new RedisCallGate(client, prefix),
        gateKey: key,
      }),
    );

  it('keeps three workers together under the portal limit: 6,000 contacts and their searches, no 429', async () => {
    sandbox = await HubSpotSandbox.start({ limits: PORTAL });
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    for (let i = 0; i < 300; i++) sandbox.seed('companies', [{ name: `Company ${i}` }], base + i);
    const connectors = workers(sandbox, 'hs_paced', BUDGET);
    const started = Date.now();
    const [pushed, pulled] = await Promise.all([
      Promise.all(connectors.map((c, i) => c.push('contacts', contacts(2000, `w${i}-`)))),
      Promise.all(
        connectors.map(async (c) => {
          let count = 0;
          for await (const page of c.pull('companies', {
            fields: ['name'],
            since: { modifiedAt: '2000-01-01T00:00:00.000Z', id: '' },
            pageSize: 100,
          }))
            count += page.records.length;
          return count;
        }),
      ),
    ]);
    const took = Date.now() - started;

    expect(sandbox.limiter.refused).toEqual({ TEN_SECONDLY_ROLLING: 0, SECONDLY: 0, DAILY: 0 });
    expect(connectors.map((c) => c.stats().rateLimited)).toEqual([0, 0, 0]);
    const ids = pushed.flat().map((r) => (r.ok ? r.id : `failed: ${r.error.message}`));
    expect(new Set(ids).size).toBe(6000);
    expect(sandbox.count('contacts')).toBe(6000);
    expect(pulled).toEqual([300, 300, 300]);
    expect(sandbox.calls('POST /crm/v3/objects/batch/upsert')).toBe(60);
    const searches = sandbox.calls('POST /crm/v3/objects/search');
    expect(searches).toBeGreaterThanOrEqual(9);
    // At most 10 calls start in any second, so the last of them cannot start before this.
    const calls = sandbox.calls();
    expect(calls).toBe(60 + searches);
    expect(took).toBeGreaterThanOrEqual((Math.ceil(calls / 10) - 1) * 1000);
    // Redis holds two windows of random call ids, nothing of the portal's credentials.
    const redis = clients[0] as Redis;
    const keys = (await keysUnder(redis, prefix)).sort();
    expect(keys).toEqual(['burst', 'search'].map((w) => `${prefix}:crm-bridge:window:hubspot:hs_paced:${w}`));
    for (const key of keys)
      for (const id of await redis.zrange(key, '0', '-1')) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pauses the other workers when one of them meets a 429', async () => {
    // No rate headers: otherwise the workers would learn the portal's limit from its first answer and meet no 429.
    sandbox = await HubSpotSandbox.start({ limits: PORTAL, rateHeaders: false });
    const logs: GateLog[] = clients.map(() => ({ takes: [], pauses: [] }));
    const gates = clients.map((client, i) =>
      recording(new RedisCallGate(client, prefix), logs[i] as GateLog),
    );
    // A budget far above the portal's limit, so that only the pause can hold anyone back.
    const [first, ...others] = workers(sandbox, 'hs_eager', { ...BUDGET, burst: 1000 }, gates);
    const [firstLog, ...otherLogs] = logs;
    if (!first || !firstLog) throw new Error('three workers expected');
    // 11 batches: the portal takes 10 at once and refuses the next.
    const firstPush = first.push('contacts', contacts(1100, 'first-'));
    await until(() => firstLog.pauses.length > 0, 5000, 'the first 429');
    const [pausedUntil = 0] = firstLog.pauses.map((p) => p.to);
    // The portal's window is still full: without the shared pause, these calls would be refused.
    const pushed = await Promise.all([
      firstPush,
      ...others.map((c, i) => c.push('contacts', contacts(100, `other${i}-`))),
    ]);

    expect(pushed.flat().every((r) => r.ok)).toBe(true);
    expect(sandbox.count('contacts')).toBe(1300);
    expect(others.map((c) => c.stats().rateLimited)).toEqual([0, 0]);
    expect(first.stats().rateLimited).toBe(sandbox.limiter.refused.TEN_SECONDLY_ROLLING);
    // 50 ms for Redis's and this process's view of when the pause ends.
    for (const log of otherLogs) {
      expect(log.takes).toHaveLength(1);
      expect(log.takes[0]).toBeGreaterThanOrEqual(pausedUntil - 50);
    }
  });
});
