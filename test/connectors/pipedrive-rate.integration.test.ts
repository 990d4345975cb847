import { afterEach, describe, expect, it } from 'vitest';
import type { PipedriveConnector } from '../../connectors/pipedrive/index.ts';
import type { PipedriveSandbox } from '../../sandboxes/pipedrive/index.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import { startPipedrive } from './pipedrive-harness.ts';

describe('Pipedrive rate limits', () => {
  let sandbox: PipedriveSandbox | undefined;
  afterEach(() => sandbox?.close());

  it('paces a push of more records than one window allows by the x-ratelimit headers: no 429, near the bound', async () => {
    // 10 requests per 500 ms window (Pipedrive's is 2 s; shortened here). The connector starts from the plan's 20
    // and adopts the account's 10 from the first answer.
    let connector: PipedriveConnector;
    ({ sandbox, connector } = await startPipedrive(
      { limits: { perWindow: 10, windowMs: 500 } },
      { limits: { windowMs: 500, safetyMs: 20 }, plan: 'essential', pushConcurrency: 4 },
    ));
    await connector.describe('persons');
    const writes = Array.from({ length: 45 }, (_, i) => ({
      ref: `r${i}`,
      fields: { name: `Paced ${i}`, email: `paced.${i}@example.com` },
    }));
    const started = performance.now();
    const results = await connector.push('persons', writes);
    const elapsed = performance.now() - started;
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sandbox.count('persons')).toBe(45);
    expect(sandbox.limiter.refused).toBe(0);
    expect(connector.stats().rateLimited).toBe(0);
    // 46 calls (the describe and 45 creates) at 10 per 500 ms cannot take less than 4 full windows.
    const bound = (Math.ceil(46 / 10) - 1) * 500;
    expect(elapsed).toBeGreaterThanOrEqual(bound - 500);
    expect(elapsed).toBeLessThan(bound + 3000);
    expect(connector.usage()).toMatchObject({ limit: 10 });
  });

  it('waits out a 429 for the x-ratelimit-reset it names and retries, and backs off on 5xx and resets', async () => {
    let connector: PipedriveConnector;
    ({ sandbox, connector } = await startPipedrive({}, { limits: { windowMs: 200, safetyMs: 0 } }));
    await connector.describe('organizations');
    sandbox.setFaults({ rateLimited: 0.15, unavailable: 0.15, reset: 0.1 });
    const results = await connector.push(
      'organizations',
      Array.from({ length: 30 }, (_, i) => ({ ref: `o${i}`, fields: { name: `Org ${i}` } })),
    );
    sandbox.setFaults({});
    expect(results.filter((r) => r.ok)).toHaveLength(30);
    const injected = sandbox.faults();
    expect((injected.rateLimited ?? 0) + (injected.unavailable ?? 0) + (injected.reset ?? 0)).toBeGreaterThan(
      0,
    );
    expect(connector.stats().rateLimited).toBe(injected.rateLimited);
    expect(connector.stats().retried).toBe((injected.unavailable ?? 0) + (injected.reset ?? 0));
  });

  it('never makes a record twice when a create is done but its answer is lost', async () => {
    let connector: PipedriveConnector;
    ({ sandbox, connector } = await startPipedrive({ seed: 7 }));
    await connector.describe('persons');
    sandbox.setFaults({ cut: 0.25, timeout: 0.05 });
    const results = await connector.push(
      'persons',
      Array.from({ length: 40 }, (_, i) => ({
        ref: `p${i}`,
        upsertBy: { field: 'email', value: `lost.${i}@example.com` },
        expectNew: true,
        fields: { name: `Lost Answer ${i}`, email: `lost.${i}@example.com` },
      })),
    );
    sandbox.setFaults({});
    expect(sandbox.faults().cut).toBeGreaterThan(0);
    expect(results.map((r) => r.ok && r.created)).toEqual(Array.from({ length: 40 }, () => true));
    expect(sandbox.count('persons')).toBe(40);
    expect(new Set(results.map((r) => (r.ok ? r.id : ''))).size).toBe(40);
  });

  it('looks again past the search index lag before making a record whose create answer was lost', async () => {
    let connector: PipedriveConnector;
    ({ sandbox, connector } = await startPipedrive({ seed: 11, searchLagMs: 300 }, { searchLagMs: 400 }));
    await connector.describe('persons');
    sandbox.setFaults({ cut: 0.3 });
    const results = await connector.push(
      'persons',
      Array.from({ length: 20 }, (_, i) => ({
        ref: `s${i}`,
        upsertBy: { field: 'email', value: `lagged.${i}@example.com` },
        expectNew: true,
        fields: { name: `Lagged ${i}`, email: `lagged.${i}@example.com` },
      })),
    );
    sandbox.setFaults({});
    expect(sandbox.faults().cut).toBeGreaterThan(0);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sandbox.count('persons')).toBe(20);
  });

  it('gives up on an API that stays down with an unavailable ConnectorFailure after its retries', async () => {
    let connector: PipedriveConnector;
    ({ sandbox, connector } = await startPipedrive(
      {},
      { retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 } },
    ));
    sandbox.setFaults({ unavailable: 1 });
    const error = await connector.describe('deals').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorFailure);
    expect(error).toMatchObject({
      kind: 'unavailable',
      message: 'Pipedrive answered 503: Service Unavailable',
      retryable: true,
    });
    expect(connector.stats()).toMatchObject({ calls: 4, retried: 3 });
  });

  it("stops at once, without sleeping, when the day's token budget is spent, naming the wait until the next day", async () => {
    let connector: PipedriveConnector;
    // 20 tokens for the fields list, 10 per create: the budget lasts for 4 creates.
    ({ sandbox, connector } = await startPipedrive({ limits: { dailyTokens: 60 } }));
    await connector.describe('persons');
    const started = performance.now();
    const error = await connector
      .push(
        'persons',
        Array.from({ length: 10 }, (_, i) => ({ ref: `t${i}`, fields: { name: `Token ${i}` } })),
      )
      .catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({
      kind: 'rate-limited',
      message: 'Pipedrive answered 429: Daily token budget exceeded',
    });
    expect((error as ConnectorFailure).retryAfterMs).toBeGreaterThan(60_000);
    expect(sandbox.count('persons')).toBeLessThanOrEqual(4);
    expect(sandbox.limiter.tokensUsed).toBeLessThanOrEqual(60);

    const calls = sandbox.calls();
    connector.forgetDescribe();
    const next = await connector.describe('persons').catch((e: unknown) => e);
    expect(next).toMatchObject({ kind: 'rate-limited', code: 'DAILY_BUDGET' });
    expect(sandbox.calls()).toBe(calls);
  });
});
