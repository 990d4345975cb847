import { describe, expect, it } from 'vitest';
import { fromBatchError, fromCallError } from '../../connectors/hubspot/hubspot-errors.ts';

const apiException = (code: number, body: unknown, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, body, headers });

describe('hubspot error translation', () => {
  it.each([
    [400, 'invalid'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not-found'],
    [409, 'conflict'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ] as const)('maps HTTP %i to %s', (status, kind) => {
    expect(fromCallError(apiException(status, { message: 'x', category: 'C' }))?.kind).toBe(kind);
  });

  it('reads the 429 policy and the window to wait, from Retry-After, the interval header or the policy, if any', () => {
    const body = {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
    };
    expect(fromCallError(apiException(429, body, { 'retry-after': '3' }))).toMatchObject({
      kind: 'rate-limited',
      code: 'TEN_SECONDLY_ROLLING',
      retryAfterMs: 3000,
    });
    expect(
      fromCallError(apiException(429, body, { 'x-hubspot-ratelimit-interval-milliseconds': '1000' }))
        ?.retryAfterMs,
    ).toBe(1000);
    // Nothing in the answer names a wait: the caller goes by its budget's window.
    expect(fromCallError(apiException(429, body))?.retryAfterMs).toBeUndefined();
    expect(
      fromCallError(apiException(429, { message: 'You have reached your secondly limit.' })),
    ).toMatchObject({
      code: 'SECONDLY',
      retryAfterMs: 1000,
    });
    const daily = { message: 'x', policyName: 'DAILY' };
    expect(fromCallError(apiException(429, daily))?.code).toBe('DAILY');
    // The interval header describes the rolling window, not the day.
    expect(
      fromCallError(apiException(429, daily, { 'x-hubspot-ratelimit-interval-milliseconds': '10000' }))
        ?.retryAfterMs,
    ).toBeUndefined();
  });

  it('names the properties HubSpot blamed in a 400', () => {
    const message =
      'Property values were not valid: [{"isValid":false,"message":"Email address x is invalid","error":"INVALID_EMAIL","name":"email"}]';
    expect(fromCallError(apiException(400, { message, category: 'VALIDATION_ERROR' }))).toEqual({
      kind: 'invalid',
      code: 'VALIDATION_ERROR',
      fields: ['email'],
      message: `HubSpot answered 400 VALIDATION_ERROR: ${message}`,
    });
  });

  it('treats resets, refused connections and timeouts as unavailable', () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    });
    expect(fromCallError(reset)).toMatchObject({ kind: 'unavailable', code: 'NETWORK' });
    expect(fromCallError(new Error('no answer within 10 ms (timed out)'))?.kind).toBe('unavailable');
    expect(fromCallError(new Error('Cannot parse content. No Content-Type defined.'))?.code).toBe(
      'BAD_RESPONSE',
    );
  });

  it('leaves other errors alone: they are bugs, not outages to retry', () => {
    expect(
      fromCallError(new TypeError("Cannot read properties of undefined (reading 'id')")),
    ).toBeUndefined();
  });

  it('turns 207 entries into per-record errors keeping category, code and fields', () => {
    expect(
      fromBatchError({
        category: 'VALIDATION_ERROR',
        message: 'Property values were not valid',
        errors: [
          {
            message: 'lukewarm was not one of the allowed options',
            code: 'INVALID_OPTION',
            _in: 'crm_bridge_temperature',
          },
        ],
      }),
    ).toEqual({
      kind: 'invalid',
      code: 'INVALID_OPTION',
      fields: ['crm_bridge_temperature'],
      message: 'HubSpot refused the record (VALIDATION_ERROR): lukewarm was not one of the allowed options',
    });
    expect(
      fromBatchError({ category: 'CONFLICT', message: 'Contact already exists. Existing ID: 5' }),
    ).toMatchObject({
      kind: 'conflict',
      code: 'CONFLICT',
    });
    expect(fromBatchError({ category: 'OBJECT_NOT_FOUND', message: 'gone' }).kind).toBe('not-found');
  });
});
