import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnector } from '../../connectors/salesforce/index.ts';
import { RedisCallGate } from '../../jobs/shared-window.ts';
import {
  EXAMPLE_ORG,
  type SalesforceSandbox,
  startSalesforceSandbox,
} from '../../sandboxes/salesforce/index.ts';
import { collect, FAST_RETRY, lead } from '../connectors/salesforce-harness.ts';
import { failureOf } from '../support/failures.ts';
import { dropPrefix, REDIS_URL, testPrefix } from './redis-prefix.ts';

describe('the Salesforce daily reserve shared by the workers through Redis', () => {
  const prefix = testPrefix();
  // One Redis client per "process", as separate workers would have.
  const clients = Array.from({ length: 2 }, () => new Redis(REDIS_URL));
  let sandbox: SalesforceSandbox;
  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ dailyLimit: 100_000, ...EXAMPLE_ORG });
    sandbox.seed(
      'Lead',
      Array.from({ length: 1000 }, (_, i) => lead(i)),
    );
  });
  afterAll(async () => {
    await sandbox.close();
    for (const c of clients) c.disconnect();
    await dropPrefix(prefix);
  });

  const connector = (gate?: RedisCallGate) =>
    createSalesforceConnector({
      retry: FAST_RETRY,
      pageSize: 200,
      connection: { instanceUrl: sandbox.url, accessToken: sandbox.accessToken, dailyReserve: 0.1 },
      gate,
      gateKey: 'sf',
    });
  const pull = (c: ReturnType<typeof connector>) => collect(c.pull('Lead', { fields: ['Email'] }));

  it('stops a worker whose own reading is old as soon as another worker saw the reserve reached', async () => {
    const [a, b] = clients.map((c) => connector(new RedisCallGate(c, prefix)));
    const alone = connector();
    if (!a || !b) throw new Error('two workers expected');
    // All three read the org while plenty is left: 5 pages each.
    for (const c of [a, b, alone]) expect((await pull(c)).length).toBe(5);
    expect(b.usage()?.used).toBeLessThan(100);

    // Other integrations use the org; worker A is the first to see it in an answer.
    sandbox.setUsage(90_500);
    expect(await failureOf(pull(a))).toMatchObject({ code: 'DAILY_API_RESERVE' });
    const seen = a.usage()?.used ?? 0;
    expect(seen).toBeGreaterThan(90_500);

    // B and the unshared connector both hold a reading from long ago. B takes A's from Redis and calls nothing.
    const before = sandbox.calls();
    const failure = await failureOf(pull(b));
    expect(failure).toMatchObject({ kind: 'rate-limited', code: 'DAILY_API_RESERVE', retryable: true });
    expect(failure.message).toContain(`${seen} of 100000 calls made`);
    expect(sandbox.calls()).toBe(before);
    expect(b.usage()).toEqual({ used: seen, limit: 100_000 });

    // Without the shared reading, a worker starts a page before it learns the reserve is reached.
    await failureOf(pull(alone));
    expect(sandbox.calls()).toBeGreaterThan(before);
  });

  it('lets every worker go on once one of them sees that the rolling window freed calls', async () => {
    const [a, b] = clients.map((c) => connector(new RedisCallGate(c, prefix)));
    if (!a || !b) throw new Error('two workers expected');
    // A connects while the reserve is reached: its first reading, from the limits resource, says so.
    expect(await failureOf(pull(a))).toMatchObject({ code: 'DAILY_API_RESERVE' });
    // The rolling window frees calls. A, which makes no call while the reserve is reached, cannot see it yet.
    sandbox.setUsage(40_000);
    const before = sandbox.calls();
    expect(await failureOf(pull(a))).toMatchObject({ code: 'DAILY_API_RESERVE' });
    expect(sandbox.calls()).toBe(before);
    // B starts, reads the limits resource and shares what it read: A works from it at once.
    expect((await pull(b)).length).toBe(5);
    expect((await pull(a)).length).toBe(5);
    expect(a.usage()?.used).toBeLessThan(40_100);
  });
});
