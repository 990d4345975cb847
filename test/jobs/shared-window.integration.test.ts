import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCallGate } from '../../jobs/shared-window.ts';
import type { GateRelease } from '../../src/connector/call-gate.ts';
import { dropPrefix, REDIS_URL, testPrefix } from './redis-prefix.ts';

describe('an API budget shared through Redis', () => {
  const prefix = testPrefix();
  const clients = Array.from({ length: 4 }, () => new Redis(REDIS_URL));
  const gates = clients.map((c) => new RedisCallGate(c, prefix));
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await dropPrefix(prefix);
  });

  /** ms from `started` until `take` let the call through. */
  const msUntil = async (started: number, take: Promise<GateRelease> | undefined): Promise<number> => {
    await take;
    return Date.now() - started;
  };

  it('lets four processes together make at most 10 calls in any 400 ms', async () => {
    const window = { name: 'hubspot-portal-1', limit: 10, windowMs: 400 };
    const calls: number[] = [];
    const started = Date.now();
    // 30 calls, spread over the four "processes", all wanting to go at once; each answers at once.
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const release = await gates[i % gates.length]?.take([window]);
        calls.push(Date.now());
        await release?.();
      }),
    );
    const took = Date.now() - started;
    calls.sort((a, b) => a - b);
    // Local clocks can differ from Redis's by a few ms: allow that much at the window's edge.
    for (let i = 10; i < calls.length; i++)
      expect((calls[i] ?? 0) - (calls[i - 10] ?? 0)).toBeGreaterThanOrEqual(400 - 5);
    // 30 calls at 10 per 400 ms: the first 10 at once, the last 10 after two windows.
    expect(took).toBeGreaterThanOrEqual(800 - 5);
    expect(took).toBeLessThan(2_000);
  });

  it('holds a slot while its call is in flight and counts the call from its answer', async () => {
    const window = { name: 'portal-slow', limit: 1, windowMs: 200 };
    const [a, b] = gates;
    const release = await a?.take([window]);
    const started = Date.now();
    const next = msUntil(started, b?.take([window]));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await release?.();
    // The first call answered at 300 ms; however early it reached the API, it counts until 500 ms.
    expect(await next).toBeGreaterThanOrEqual(500 - 5);
  });

  it('frees the slots of a call whose process died mid-call once its lease ends', async () => {
    const window = { name: 'portal-crashed', limit: 1, windowMs: 200 };
    const [a, b] = clients.map((c) => new RedisCallGate(c, prefix, { leaseMs: 300 }));
    await a?.take([window]); // never released
    const started = Date.now();
    const waited = await msUntil(started, b?.take([window]));
    expect(waited).toBeGreaterThanOrEqual(300 + 200 - 20);
    expect(waited).toBeLessThan(1_000);
  });

  it('takes a slot in all of a call’s windows at once: a call waiting for search holds no burst slot', async () => {
    const burst = { name: 'portal-2:burst', limit: 4, windowMs: 1000 };
    const search = { name: 'portal-2:search', limit: 1, windowMs: 300 };
    const [a, b, c] = gates;
    const started = Date.now();
    await (await a?.take([burst, search]))?.();
    const [searched, ...standard] = await Promise.all([
      msUntil(started, b?.take([burst, search])),
      msUntil(started, c?.take([burst])),
      msUntil(started, a?.take([burst])),
    ]);
    // Had the waiting search taken its burst slot first, the standard calls would not all have fitted until 1 s.
    for (const ms of standard) expect(ms).toBeLessThan(150);
    expect(searched).toBeGreaterThanOrEqual(300 - 5);
    expect(searched).toBeLessThan(900);
  });

  it('holds every process through a pause, and a shorter pause does not cut a longer one short', async () => {
    const [a, b] = gates;
    const window = { name: 'portal-3:burst', limit: 100, windowMs: 1000 };
    await a?.pause(window.name, 300);
    await a?.pause(window.name, 50);
    const started = Date.now();
    expect(await msUntil(started, b?.take([{ ...window, name: 'portal-4:burst' }]))).toBeLessThan(100);
    expect(await msUntil(started, b?.take([window]))).toBeGreaterThanOrEqual(300 - 20);
  });

  it('keeps the reading published last for every process, in order, for a day', async () => {
    const [a, b] = gates;
    if (!a || !b) throw new Error('two gates expected');
    expect(await b.latest('salesforce:org-1:daily')).toBeUndefined();
    const first = await a.publish('salesforce:org-1:daily', { used: 900, limit: 100_000 });
    const second = await b.publish('salesforce:org-1:daily', { used: 950, limit: 100_000 });
    expect(second).toBeGreaterThan(first);
    expect(await a.latest('salesforce:org-1:daily')).toEqual({ seq: second, used: 950, limit: 100_000 });
    expect(await a.latest('salesforce:org-2:daily')).toBeUndefined();
    const [key] = (await clients[0]?.keys(`${prefix}:*allocation*`)) ?? [];
    const ttl = (await clients[0]?.pttl(key ?? '')) ?? 0;
    expect(ttl).toBeGreaterThan(23 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
  });
});
