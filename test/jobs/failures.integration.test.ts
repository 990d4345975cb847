import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from './redis-prefix.ts';
import { emptyReport, memoryLogger, quietRuntime } from './worker-kit.ts';

const request = { pair: 'sf-hs', connections: ['sf', 'hs'] as [string, string], trigger: 'manual' as const };

describe('failed rounds in the queue', () => {
  let worker: RunningWorker | undefined;
  let prefix: string;
  beforeEach(() => {
    prefix = testPrefix();
  });
  afterEach(async () => {
    await worker?.stop();
    await dropPrefix(prefix);
  });

  async function start(run: () => Promise<ReturnType<typeof emptyReport>>) {
    worker = await startWorker({
      runtime: await quietRuntime(),
      redisUrl: REDIS_URL,
      prefix,
      logger: memoryLogger().logger,
      run,
      secrets: ['hs-token-SECRET-0001'],
    });
    return worker.queue;
  }

  it('waits as long as a 429 asked, without using up an attempt', async () => {
    const tries: number[] = [];
    const queue = await start(async () => {
      tries.push(Date.now());
      if (tries.length === 1)
        throw new ConnectorFailure({ kind: 'rate-limited', message: 'daily limit', retryAfterMs: 600 });
      return emptyReport('r1');
    });
    const job = await queue.add('sync', request, { jobId: 'rate-limited-1' });
    await until(async () => (await job.getState()) === 'completed', 5000, 'the job to complete');
    const done = await queue.getJob('rate-limited-1');
    expect(tries).toHaveLength(2);
    expect((tries[1] ?? 0) - (tries[0] ?? 0)).toBeGreaterThanOrEqual(600);
    // Two tries started; only the successful one counts against the 5 attempts kept for real failures.
    expect([done?.attemptsStarted, done?.attemptsMade]).toEqual([2, 1]);
    expect(done?.returnvalue).toEqual({ runId: 'r1', durationMs: 1, apiCalls: {}, entities: {} });
  });

  it('fails at once on refused credentials and keeps the job as a dead letter with the reason, scrubbed', async () => {
    let tries = 0;
    const queue = await start(async () => {
      tries++;
      throw new ConnectorFailure({
        kind: 'auth',
        code: 'INVALID_AUTHENTICATION',
        message: 'token hs-token-SECRET-0001 was refused',
      });
    });
    const job = await queue.add('sync', request, { jobId: 'auth-1' });
    await until(async () => (await job.getState()) === 'failed', 5000, 'the job to fail');
    const failed = await queue.getJob('auth-1');
    expect(tries).toBe(1);
    expect(failed?.failedReason).toBe('auth INVALID_AUTHENTICATION: token [redacted] was refused');
    expect((failed?.stacktrace ?? []).join('\n')).not.toContain('SECRET');
  });

  it('retries an unavailable API with backoff, keeping the attempt count', async () => {
    const queue = await start(async () => {
      throw new ConnectorFailure({ kind: 'unavailable', code: '503', message: 'service unavailable' });
    });
    const job = await queue.add('sync', request, { jobId: 'down-1' });
    await until(async () => (await job.getState()) === 'delayed', 5000, 'the retry to be scheduled');
    const waiting = await queue.getJob('down-1');
    expect(waiting?.attemptsMade).toBe(1);
    expect(waiting?.failedReason).toBe('unavailable 503: service unavailable');
    // The first backoff is 5 s ± 50 %.
    const due = (waiting?.timestamp ?? 0) + (waiting?.delay ?? 0);
    expect(due - Date.now()).toBeGreaterThan(1_000);
  });

  it('refuses a payload that is not a sync request, at once', async () => {
    const queue = await start(async () => emptyReport('never'));
    const job = await queue.add('sync', { pair: 'sf-hs', accessToken: 'x' } as never, { jobId: 'bad-1' });
    await until(async () => (await job.getState()) === 'failed', 5000, 'the job to fail');
    expect((await queue.getJob('bad-1'))?.failedReason).toMatch(/^invalid sync job payload/);
  });
});
