import { afterEach, describe, expect, it } from 'vitest';
import { HubSpotConnection } from '../../connectors/hubspot/connection.ts';
import { createHubSpotConnector } from '../../connectors/hubspot/index.ts';
import { HubSpotSandbox, SANDBOX_TOKEN } from '../../sandboxes/hubspot/index.ts';
import { resolveConnection } from '../../src/config/resolve.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { Write } from '../../src/connector/types.ts';
import { startHubSpot } from './hubspot-harness.ts';

type Started = Awaited<ReturnType<typeof startHubSpot>>;

const contacts = (n: number, tag: string): Write[] =>
  Array.from({ length: n }, (_, i) => ({
    ref: `${tag}${i}`,
    fields: { email: `${tag}${i}@example.com`, lastname: tag },
  }));

describe('hubspot rate limits and failures', () => {
  let h: Started | undefined;
  afterEach(async () => {
    await h?.sandbox.close();
    h = undefined;
  });

  it('keeps under a 10-requests-per-second window: 30 batches, no 429 at all', async () => {
    h = await startHubSpot(
      { limits: { perWindow: 10, windowMs: 1000 } },
      { limits: { burst: 10, windowMs: 1000, safetyMs: 20 } },
    );
    const started = Date.now();
    const results = await h.connector.push('contacts', contacts(3000, 'paced'));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.sandbox.calls()).toBe(30);
    expect(h.sandbox.limiter.refused.TEN_SECONDLY_ROLLING).toBe(0);
    expect(h.connector.stats().rateLimited).toBe(0);
    // 30 calls at 10 per rolling second cannot finish in under 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('waits out every 429 when its budget is wrong, and loses nothing', async () => {
    // Without rate headers the connector cannot learn the portal's limit and keeps its own, too high; the 429s
    // name no wait either, so it waits its own window (1 s), not HubSpot's usual 10 s.
    h = await startHubSpot(
      { limits: { perWindow: 10, windowMs: 1000 }, rateHeaders: false },
      { limits: { burst: 1000, windowMs: 1000 } },
    );
    const started = Date.now();
    const results = await h.connector.push('contacts', contacts(2500, 'eager'));
    expect(Date.now() - started).toBeLessThan(9000);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.sandbox.count('contacts')).toBe(2500);
    const refused = h.sandbox.limiter.refused.TEN_SECONDLY_ROLLING;
    expect(refused).toBeGreaterThan(0);
    expect(h.connector.stats().rateLimited).toBe(refused);
  });

  it("keeps to the portal's limit when it is lower than the tier's: professional against 10 per second, no 429", async () => {
    // HubSpot's 100 per 10 s at a tenth of the window; the tier says 190 per 10 s, the portal's answers say less.
    h = await startHubSpot(
      { limits: { perWindow: 10, windowMs: 1000 } },
      { tier: 'professional', limits: {}, pushConcurrency: 8 },
    );
    const started = Date.now();
    const results = await h.connector.push('contacts', contacts(2500, 'portal'));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.sandbox.calls()).toBe(25);
    expect(h.sandbox.limiter.refused).toEqual({ TEN_SECONDLY_ROLLING: 0, SECONDLY: 0, DAILY: 0 });
    expect(h.connector.stats().rateLimited).toBe(0);
    // 25 calls at 10 per rolling second cannot finish in under 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it("takes a connection's raised limit from the config: 120 calls at once where the tier allows 100 per 10 s", async () => {
    // A portal with a raised limit (HubSpot's API limit increase pack) that says so in its answers.
    const sandbox = await HubSpotSandbox.start({ limits: { perWindow: 120, windowMs: 10_000 } });
    try {
      const connection = HubSpotConnection.parse({
        system: 'hubspot',
        accessToken: 'env:HUBSPOT_ACCESS_TOKEN',
        tier: 'starter',
        limits: { burst: 120 },
      });
      const connector = createHubSpotConnector(
        resolveConnection(connection, { HUBSPOT_BASE_URL: sandbox.url, HUBSPOT_ACCESS_TOKEN: SANDBOX_TOKEN }),
      );
      const started = Date.now();
      const results = await connector.push('contacts', contacts(12_000, 'raised'));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(sandbox.calls()).toBe(120);
      expect(sandbox.limiter.refused).toEqual({ TEN_SECONDLY_ROLLING: 0, SECONDLY: 0, DAILY: 0 });
      // The tier's 100 per rolling 10 s would hold the last 20 calls until the window moved on.
      expect(Date.now() - started).toBeLessThan(9000);
    } finally {
      await sandbox.close();
    }
  });

  it('refuses a limit that is not a positive whole number, naming it', () => {
    const parsed = HubSpotConnection.safeParse({ system: 'hubspot', limits: { burst: 0 } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['limits', 'burst']);
  });

  it('keeps search under its per-second limit', async () => {
    h = await startHubSpot(
      { limits: { searchPerSecond: 4 } },
      { limits: { searchPerSecond: 4, safetyMs: 20 }, associations: {} },
    );
    h.sandbox.seed(
      'contacts',
      Array.from({ length: 1000 }, (_, i) => ({ email: `s${i}@example.com` })),
    );
    let count = 0;
    for await (const page of h.connector.pull('contacts', {
      fields: ['email'],
      since: { modifiedAt: '2000-01-01T00:00:00.000Z', id: '' },
      pageSize: 100,
    })) {
      count += page.records.length;
    }
    expect(count).toBe(1000);
    expect(h.sandbox.limiter.refused.SECONDLY).toBe(0);
  });

  it('retries 5xx, resets and timeouts with backoff; upserts by e-mail keep retried creates single', async () => {
    h = await startHubSpot(
      { timeoutMs: 100, seed: 7 },
      { retry: { timeoutMs: 150, maxRetries: 8, baseDelayMs: 5 } },
    );
    h.sandbox.setFaults({ unavailable: 0.2, reset: 0.1, timeout: 0.05 });
    const results = await h.connector.push('contacts', contacts(800, 'flaky'));
    h.sandbox.setFaults({});
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.sandbox.count('contacts')).toBe(800);
    const faults = h.sandbox.faults();
    expect((faults.unavailable ?? 0) + (faults.reset ?? 0) + (faults.timeout ?? 0)).toBeGreaterThan(0);
    expect(h.connector.stats().retried).toBe(
      (faults.unavailable ?? 0) + (faults.reset ?? 0) + (faults.timeout ?? 0),
    );
  });

  it('reads and writes through answers cut off mid-body: every contact once', async () => {
    h = await startHubSpot({ seed: 5 }, { retry: { timeoutMs: 1000, maxRetries: 8, baseDelayMs: 5 } });
    h.sandbox.setFaults({ cut: 0.25 });
    const results = await h.connector.push('contacts', contacts(800, 'cut'));
    const cutWrites = h.sandbox.faults().cut ?? 0;
    let read = 0;
    for await (const page of h.connector.pull('contacts', { fields: ['email'], pageSize: 100 }))
      read += page.records.length;
    h.sandbox.setFaults({});
    expect(cutWrites).toBeGreaterThan(0);
    expect((h.sandbox.faults().cut ?? 0) - cutWrites).toBeGreaterThan(0);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.sandbox.count('contacts')).toBe(800);
    expect(read).toBe(800);
  });

  it('stops at the daily limit with a rate-limited failure and reports the usage', async () => {
    h = await startHubSpot({ limits: { daily: 3 } });
    await h.connector.push('contacts', contacts(1, 'day1'));
    expect(h.connector.usage()).toEqual({ used: 1, limit: 3 });
    await h.connector.push('contacts', contacts(1, 'day2'));
    await h.connector.push('contacts', contacts(1, 'day3'));
    const failure = await h.connector.push('contacts', contacts(1, 'day4')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectorFailure);
    expect(failure).toMatchObject({ kind: 'rate-limited', code: 'DAILY' });
    // The last answer said none were left: the connector did not even ask.
    expect(h.sandbox.calls()).toBe(3);
    expect((failure as ConnectorFailure).retryAfterMs).toBeGreaterThan(0);
  });
});
