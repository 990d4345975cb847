import { inspect } from 'node:util';
import { Client } from '@hubspot/api-client';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubSpotConnector } from '../../connectors/hubspot/index.ts';
import { failureOf } from '../support/failures.ts';
import { startHubSpot } from './hubspot-harness.ts';

type Started = Awaited<ReturnType<typeof startHubSpot>>;

const SECRET = 'csecret-7f3a9c';
const REFRESH = 'rtoken-51be02';
const oauth = { clientId: 'crm-bridge-app', clientSecret: SECRET, refreshToken: REFRESH };
const write = (tag: string) => [{ ref: tag, fields: { email: `${tag}@example.com` } }];

describe('hubspot auth', () => {
  let h: Started | undefined;
  afterEach(async () => {
    await h?.sandbox.close();
    h = undefined;
    nock.cleanAll();
  });

  it('fails with auth for a wrong private-app token, without echoing it', async () => {
    h = await startHubSpot({}, { accessToken: 'pat-na1-wrong-0b1c2d' });
    const failure = await failureOf(h.connector.push('contacts', write('a')));
    expect(failure.kind).toBe('auth');
    expect(failure.message).toMatch(/^HubSpot answered 401 INVALID_AUTHENTICATION/);
    expect(inspect(failure, { depth: 6 })).not.toContain('pat-na1-wrong-0b1c2d');
  });

  it('gets an OAuth token with the refresh token, and refreshes it when it expires', async () => {
    h = await startHubSpot({ credentials: oauth }, { accessToken: undefined, ...oauth });
    expect((await h.connector.push('contacts', write('first')))[0]).toMatchObject({ ok: true });
    expect(h.sandbox.auth.refreshes).toBe(1);
    h.sandbox.expireToken();
    expect((await h.connector.push('contacts', write('second')))[0]).toMatchObject({ ok: true });
    expect(h.sandbox.auth.refreshes).toBe(2);
    expect(h.connector.stats().refreshed).toBe(1);
  });

  it('reports a refused refresh token as auth, and a failing token endpoint as unavailable, with no secret', async () => {
    const base = 'http://hubspot.invalid';
    const connector = createHubSpotConnector({ baseUrl: base, ...oauth, retry: { maxRetries: 0 } });
    nock(base)
      .post('/oauth/v1/token')
      .reply(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' });
    const refused = await failureOf(connector.push('contacts', write('x')));
    expect(refused).toMatchObject({ kind: 'auth', code: 'BAD_REFRESH_TOKEN' });
    nock(base).post('/oauth/v1/token').reply(503, { status: 'error', message: 'down' });
    const down = await failureOf(connector.push('contacts', write('y')));
    expect(down.kind).toBe('unavailable');
    for (const failure of [refused, down]) {
      const text = `${failure.message} ${inspect(failure, { depth: 6 })}`;
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(REFRESH);
    }
  });

  it('is not affected by another Client in the process asking the SDK for retries', async () => {
    h = await startHubSpot({}, { retry: { maxRetries: 0 } });
    // The SDK keeps retry settings in a process-wide singleton; a later Client with retries must not change ours.
    new Client({ accessToken: 'other', numberOfApiCallRetries: 3 });
    h.sandbox.setFaults({ unavailable: 1 });
    const failure = await failureOf(h.connector.push('contacts', write('solo')));
    expect(failure.kind).toBe('unavailable');
    expect(h.sandbox.calls()).toBe(1);
  });
});
