import { createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signJwtAssertion } from '../../connectors/salesforce/salesforce-jwt.ts';
import { backoff, withRetry } from '../../connectors/salesforce/salesforce-retry.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';

const policy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 };
const failure = (kind: 'unavailable' | 'invalid') => new ConnectorFailure({ kind, message: kind });

describe('retry with backoff', () => {
  it('doubles the delay each attempt, with jitter in the upper half, up to the cap', () => {
    const slow = { attempts: 9, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((n) => backoff(slow, n, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([0, 1, 2, 3, 4].map((n) => backoff(slow, n, () => 0.999))).toEqual(
      [100, 200, 400, 800, 1000].map((d) => d / 2 + 0.999 * (d / 2)),
    );
  });

  it('retries transient failures until they pass, and stops at the first permanent one', async () => {
    let calls = 0;
    const value = await withRetry(
      policy,
      (e) => e as ConnectorFailure,
      async () => {
        calls++;
        if (calls < 3) throw failure('unavailable');
        return 'done';
      },
    );
    expect([value, calls]).toEqual(['done', 3]);

    calls = 0;
    const permanent = withRetry(
      policy,
      (e) => e as ConnectorFailure,
      async () => {
        calls++;
        throw failure('invalid');
      },
    );
    await expect(permanent).rejects.toMatchObject({ kind: 'invalid' });
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt, having let the caller prepare each retry', async () => {
    const prepared: string[] = [];
    const doomed = withRetry(
      policy,
      (e) => e as ConnectorFailure,
      async () => {
        throw failure('unavailable');
      },
      async (f) => {
        prepared.push(f.kind);
      },
    );
    await expect(doomed).rejects.toMatchObject({ kind: 'unavailable' });
    expect(prepared).toEqual(['unavailable', 'unavailable', 'unavailable']);
  });
});

describe('JWT bearer assertion', () => {
  it('is an RS256-signed JWT with the connected app, user, audience and a short expiry', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const now = Date.UTC(2026, 0, 1);
    const jwt = signJwtAssertion(
      { clientId: 'app', username: 'u@example.com', audience: 'https://login.salesforce.com' },
      pem,
      now,
    );
    const [header = '', payload = '', signature = ''] = jwt.split('.');
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decode(payload)).toEqual({
      iss: 'app',
      sub: 'u@example.com',
      aud: 'https://login.salesforce.com',
      exp: now / 1000 + 180,
    });
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    expect(verifier.verify(publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
  });
});
