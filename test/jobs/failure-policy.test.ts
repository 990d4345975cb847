import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT_DELAY_MS, decide, SYNC_JOB_OPTIONS } from '../../jobs/failure-policy.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';

const failure = (kind: ConnectorFailure['kind'], extra: { retryAfterMs?: number; code?: string } = {}) =>
  new ConnectorFailure({ kind, message: `${kind} happened`, ...extra });

describe('what the queue does with a failed sync round', () => {
  it.each([
    [
      failure('auth', { code: 'INVALID_SESSION_ID' }),
      { action: 'fail', kind: 'auth', reason: 'auth INVALID_SESSION_ID: auth happened' },
    ],
    [failure('invalid'), { action: 'fail', kind: 'invalid', reason: 'invalid: invalid happened' }],
    [failure('not-found'), { action: 'fail', kind: 'not-found', reason: 'not-found: not-found happened' }],
    [
      failure('rate-limited', { retryAfterMs: 7_000 }),
      {
        action: 'delay',
        kind: 'rate-limited',
        delayMs: 7_000,
        reason: 'rate-limited: rate-limited happened',
      },
    ],
    [
      failure('rate-limited'),
      {
        action: 'delay',
        kind: 'rate-limited',
        delayMs: DEFAULT_RATE_LIMIT_DELAY_MS,
        reason: 'rate-limited: rate-limited happened',
      },
    ],
    [
      failure('unavailable'),
      { action: 'retry', kind: 'unavailable', reason: 'unavailable: unavailable happened' },
    ],
    [failure('conflict'), { action: 'retry', kind: 'conflict', reason: 'conflict: conflict happened' }],
    [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      { action: 'retry', kind: 'unavailable', reason: 'unavailable: connect ECONNREFUSED 127.0.0.1:5432' },
    ],
    [
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
      {
        action: 'retry',
        kind: 'unavailable',
        reason: 'unavailable: The operation was aborted due to timeout',
      },
    ],
    [
      new TypeError('x is undefined'),
      { action: 'retry', kind: 'internal', reason: 'internal: x is undefined' },
    ],
  ])('%s → %o', (error, decision) => {
    expect(decide(error)).toEqual(decision);
  });

  it('retries with exponential backoff and jitter, and keeps failed jobs 30 days as dead letters', () => {
    expect(SYNC_JOB_OPTIONS).toMatchObject({
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000, jitter: 0.5 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
  });
});
