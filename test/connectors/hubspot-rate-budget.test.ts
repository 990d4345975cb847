import { describe, expect, it } from 'vitest';
import { RateBudget } from '../../connectors/hubspot/rate-budget.ts';

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
