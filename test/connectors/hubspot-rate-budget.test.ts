import { describe, expect, it } from 'vitest';
import { RateBudget } from '../../connectors/hubspot/rate-budget.ts';
import type { CallGate, GateWindow } from '../../src/connector/call-gate.ts';

const ms = () => Number(process.hrtime.bigint() / 1_000_000n);

describe('hubspot rate budget', () => {
  it('lets a burst through, then holds further calls until the window rolls past their answers', async () => {
    const budget = new RateBudget({ burst: 5, windowMs: 200, searchPerSecond: 100, safetyMs: 0 });
    const start = ms();
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const release = await budget.acquire('standard');
        starts.push(ms() - start);
        release();
      }),
    );
    starts.sort((a, b) => a - b);
    expect(starts[4]).toBeLessThan(150);
    expect(starts[5]).toBeGreaterThanOrEqual(195);
    expect(starts[10]).toBeGreaterThanOrEqual(395);
  });

  it('counts a call in flight until it answers', async () => {
    const budget = new RateBudget({ burst: 1, windowMs: 50, searchPerSecond: 100, safetyMs: 0 });
    const release = await budget.acquire('standard');
    let second = false;
    const next = budget.acquire('standard').then((r) => {
      second = true;
      r();
    });
    await new Promise((r) => setTimeout(r, 120));
    expect(second).toBe(false);
    const released = ms();
    release();
    await next;
    expect(ms() - released).toBeGreaterThanOrEqual(45);
  });

  it('paces search separately and pauses everything after a 429', async () => {
    const budget = new RateBudget({ burst: 100, windowMs: 1000, searchPerSecond: 2, safetyMs: 0 });
    const start = ms();
    for (let i = 0; i < 3; i++) (await budget.acquire('search'))();
    expect(ms() - start).toBeGreaterThanOrEqual(990);
    budget.pause(150);
    const paused = ms();
    (await budget.acquire('standard'))();
    expect(ms() - paused).toBeGreaterThanOrEqual(140);
  });

  it('reads the daily allowance from HubSpot headers', () => {
    const budget = new RateBudget({ burst: 1, windowMs: 1, searchPerSecond: 1, safetyMs: 0 });
    expect(budget.daily()).toBeUndefined();
    budget.observe({
      'x-hubspot-ratelimit-daily': '250000',
      'x-hubspot-ratelimit-daily-remaining': '249000',
    });
    expect(budget.daily()).toEqual({ limit: 250_000, remaining: 249_000 });
    expect(budget.dailyWait()).toBe(0);
  });

  it('refuses calls once the day is spent, until UTC midnight but for at most 15 minutes', () => {
    const budget = new RateBudget({ burst: 1, windowMs: 1, searchPerSecond: 1, safetyMs: 0 });
    budget.observe({ 'x-hubspot-ratelimit-daily': '250000', 'x-hubspot-ratelimit-daily-remaining': '0' });
    expect(budget.dailyWait()).toBeGreaterThan(0);
    expect(budget.dailyWait()).toBeLessThanOrEqual(15 * 60_000);
    const late = Date.parse('2026-01-01T23:58:00.000Z');
    const fresh = new RateBudget({ burst: 1, windowMs: 1, searchPerSecond: 1, safetyMs: 0 });
    fresh.dailySpent(late);
    expect(fresh.dailyWait(late)).toBe(2 * 60_000);
  });
});

describe("hubspot rate budget following the portal's own limit", () => {
  const tier = { burst: 190, windowMs: 10_000, searchPerSecond: 4, safetyMs: 0 };
  const portal = (max: number, interval: number) => ({
    'x-hubspot-ratelimit-max': String(max),
    'x-hubspot-ratelimit-interval-milliseconds': String(interval),
    'x-hubspot-ratelimit-remaining': String(max - 1),
  });

  it('takes the smaller of the tier and the headers, in the portal window, and follows later changes', () => {
    const budget = new RateBudget(tier);
    expect(budget.current()).toEqual({ burst: 190, windowMs: 10_000 });
    budget.observe({});
    expect(budget.current()).toEqual({ burst: 190, windowMs: 10_000 });
    budget.observe(portal(100, 10_000));
    expect(budget.current()).toEqual({ burst: 100, windowMs: 10_000 });
    // An answer without the headers (search's) changes nothing.
    budget.observe({ 'x-hubspot-ratelimit-daily': '250000' });
    expect(budget.current()).toEqual({ burst: 100, windowMs: 10_000 });
    budget.observe(portal(250, 10_000));
    expect(budget.current()).toEqual({ burst: 190, windowMs: 10_000 });
    // 190 per 10 s is 19 per second: less than a portal's 50 per second.
    budget.observe(portal(50, 1000));
    expect(budget.current()).toEqual({ burst: 19, windowMs: 1000 });
    budget.observe(portal(10, 1000));
    expect(budget.current()).toEqual({ burst: 10, windowMs: 1000 });
    budget.observe({
      'x-hubspot-ratelimit-max': 'lots',
      'x-hubspot-ratelimit-interval-milliseconds': '1000',
    });
    expect(budget.current()).toEqual({ burst: 10, windowMs: 1000 });
  });

  it('holds calls to the lower limit it learnt, counting the calls made before', async () => {
    const budget = new RateBudget({ ...tier, burst: 10, windowMs: 300 });
    const start = ms();
    const first = await budget.acquire('standard');
    budget.observe(portal(2, 300));
    first();
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        const release = await budget.acquire('standard');
        starts.push(ms() - start);
        release();
      }),
    );
    starts.sort((a, b) => a - b);
    expect(starts[0]).toBeLessThan(100);
    expect(starts[1]).toBeGreaterThanOrEqual(290);
    expect(starts[2]).toBeGreaterThanOrEqual(290);
  });

  it('lets one call out alone until the first answer is in', async () => {
    const budget = new RateBudget(tier);
    const first = await budget.acquire('standard');
    let second = false;
    const next = budget.acquire('standard').then((release) => {
      second = true;
      release();
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(second).toBe(false);
    first();
    await next;
    const [a, b] = await Promise.all([budget.acquire('standard'), budget.acquire('standard')]);
    a?.();
    b?.();
  });

  it('asks a shared gate for the lower limit once it knows it', async () => {
    const taken: GateWindow[][] = [];
    const gate: CallGate = {
      take: async (windows) => {
        taken.push([...windows]);
        return async () => undefined;
      },
      pause: async () => undefined,
      publish: async () => 0,
      latest: async () => undefined,
    };
    const budget = new RateBudget({ ...tier, safetyMs: 50 }, { gate, key: 'hs' });
    (await budget.acquire('standard'))();
    budget.observe(portal(100, 10_000));
    (await budget.acquire('search'))();
    expect(taken).toEqual([
      [{ name: 'hubspot:hs:burst', limit: 190, windowMs: 10_050 }],
      [
        { name: 'hubspot:hs:burst', limit: 100, windowMs: 10_050 },
        { name: 'hubspot:hs:search', limit: 4, windowMs: 1050 },
      ],
    ]);
  });
});
