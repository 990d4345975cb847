import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHubSpotConnector } from '../../connectors/hubspot/index.ts';
import { RedisCallGate } from '../../jobs/shared-window.ts';
import { HubSpotSandbox, SANDBOX_TOKEN } from '../../sandboxes/hubspot/index.ts';
import type { Write } from '../../src/connector/types.ts';
import { dropPrefix, REDIS_URL, testPrefix } from '../jobs/redis-prefix.ts';

const contacts = (n: number, tag: string): Write[] =>
  Array.from({ length: n }, (_, i) => ({
    ref: `${tag}${i}`,
    fields: { email: `${tag}${i}@example.com`, lastname: tag },
  }));

/** Worker processes sharing one budget through Redis keep to the portal's limit when it is below their tier's. */
describe("a shared HubSpot budget and the portal's own limit", () => {
  const prefix = testPrefix();
  const clients = Array.from({ length: 3 }, () => new Redis(REDIS_URL));
  let sandbox: HubSpotSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await dropPrefix(prefix);
  });

  it('holds three professional-tier workers to a portal allowing 10 calls per second: no 429', async () => {
    sandbox = await HubSpotSandbox.start({ limits: { perWindow: 10, windowMs: 1000, searchPerSecond: 4 } });
    const portal = sandbox;
    const workers = clients.map((client) =>
      createHubSpotConnector({
        baseUrl: portal.url,
        accessToken: SANDBOX_TOKEN,
        tier: 'professional',
        associations: {},
        gate: new RedisCallGate(client, prefix),
        gateKey: 'hs_portal_limit',
      }),
    );
    const started = Date.now();
    const pushed = await Promise.all(workers.map((w, i) => w.push('contacts', contacts(800, `w${i}-`))));

    expect(pushed.flat().filter((r) => !r.ok)).toEqual([]);
    expect(sandbox.count('contacts')).toBe(2400);
    expect(sandbox.calls()).toBe(24);
    expect(sandbox.limiter.refused).toEqual({ TEN_SECONDLY_ROLLING: 0, SECONDLY: 0, DAILY: 0 });
    expect(workers.map((w) => w.stats().rateLimited)).toEqual([0, 0, 0]);
    // 24 calls at 10 per rolling second, between them: the last ones cannot start before 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });
});
