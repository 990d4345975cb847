import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SharedWindow } from '../../jobs/shared-window.ts';
import { dropPrefix, REDIS_URL, testPrefix } from './redis-prefix.ts';

describe('an API budget shared through Redis', () => {
  const prefix = testPrefix();
  const clients = Array.from({ length: 4 }, () => new Redis(REDIS_URL));
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await dropPrefix(prefix);
  });

  it('lets four processes together make at most 10 calls in any 400 ms', async () => {
    const limits = { limit: 10, windowMs: 400 };
    const windows = clients.map((c) => new SharedWindow(c, prefix, 'hubspot-portal-1', limits));
    const calls: number[] = [];
    const started = Date.now();
    // 30 calls, spread over the four "processes", all wanting to go at once.
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        windows[i % windows.length]?.run(async () => {
          calls.push(Date.now());
        }),
      ),
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
});
