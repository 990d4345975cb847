import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSalesforceConnector } from '../../connectors/salesforce/index.ts';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { failureOf } from '../support/failures.ts';
import { collect, FAST_RETRY, lead } from './salesforce-harness.ts';

describe('salesforce authentication', () => {
  let sandbox: SalesforceSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('refreshes the session on INVALID_SESSION_ID and carries on with the new token', async () => {
    sandbox = await startSalesforceSandbox();
    const c = sandbox.credentials;
    sandbox.seed('Lead', [lead(1), lead(2)]);
    const connector = createSalesforceConnector({
      retry: FAST_RETRY,
      connection: {
        instanceUrl: sandbox.url,
        loginUrl: sandbox.url,
        accessToken: sandbox.accessToken,
        refreshToken: c.refreshToken,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
      },
    });
    expect(await connector.describe('Lead')).toMatchObject({ object: 'Lead' });
    sandbox.expireToken();
    const pages = await collect(connector.pull('Lead', { fields: ['Email'] }));
    expect(pages.flatMap((p) => p.records)).toHaveLength(2);
    sandbox.expireToken();
    const [written] = await connector.push('Lead', [{ ref: 'a', fields: lead(3) }]);
    expect(written).toMatchObject({ ok: true });
    expect(sandbox.tokens.grants.get('refresh_token')).toBe(2);
  });

  it('signs a JWT bearer assertion with RS256 and signs a new one when the session expires', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    sandbox = await startSalesforceSandbox({
      credentials: { jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    });
    const dir = await mkdtemp(join(tmpdir(), 'crm-bridge-sf-'));
    try {
      const keyFile = join(dir, 'server.key');
      await writeFile(keyFile, pem);
      const connector = createSalesforceConnector({
        retry: FAST_RETRY,
        connection: {
          loginUrl: sandbox.url,
          clientId: sandbox.credentials.clientId,
          username: sandbox.credentials.username,
          privateKeyFile: keyFile,
        },
      });
      await connector.describe('Lead');
      sandbox.expireToken();
      await connector.describe('Contact');
      expect(sandbox.tokens.grants.get('urn:ietf:params:oauth:grant-type:jwt-bearer')).toBe(2);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('logs in with username and password through the OAuth password grant', async () => {
    sandbox = await startSalesforceSandbox();
    const c = sandbox.credentials;
    const connector = createSalesforceConnector({
      retry: FAST_RETRY,
      connection: {
        loginUrl: sandbox.url,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        username: c.username,
        password: c.password,
      },
    });
    await connector.describe('Lead');
    expect(sandbox.tokens.grants.get('password')).toBe(1);
  });

  it('fails with an auth failure that never shows the token when a bare access token expires', async () => {
    sandbox = await startSalesforceSandbox();
    const token = sandbox.accessToken;
    const connector = createSalesforceConnector({
      retry: FAST_RETRY,
      connection: { instanceUrl: sandbox.url, loginUrl: sandbox.url, accessToken: token },
    });
    await connector.describe('Lead');
    sandbox.expireToken();
    const failure = await failureOf(connector.push('Lead', [{ ref: 'a', fields: lead(1) }]));
    expect(failure).toMatchObject({ kind: 'auth', code: 'INVALID_SESSION_ID' });
    expect(failure.message).toMatchInlineSnapshot(
      `"Salesforce refused the call: Session expired or invalid"`,
    );
    for (const text of [failure.message, String(failure), JSON.stringify(failure)]) {
      expect(text).not.toContain(token);
    }
  });

  it('reports refused credentials as auth without echoing the secret', async () => {
    sandbox = await startSalesforceSandbox();
    const secret = 'wrong-password-do-not-print';
    const connector = createSalesforceConnector({
      retry: FAST_RETRY,
      connection: {
        loginUrl: sandbox.url,
        clientId: sandbox.credentials.clientId,
        clientSecret: sandbox.credentials.clientSecret,
        username: sandbox.credentials.username,
        password: secret,
      },
    });
    const failure = await failureOf(connector.describe('Lead'));
    expect(failure).toMatchObject({ kind: 'auth', code: 'invalid_grant' });
    expect(failure.message).not.toContain(secret);
  });

  it('says when the JWT private key cannot be read or used, without naming the key', async () => {
    const settings = { loginUrl: 'http://127.0.0.1:9', clientId: 'app', username: 'u@example.com' };
    const missing = createSalesforceConnector({
      connection: { ...settings, privateKeyFile: '/nonexistent/crm-bridge/server.key' },
    });
    expect(await failureOf(missing.describe('Lead'))).toMatchObject({
      kind: 'auth',
      code: 'PRIVATE_KEY_UNREADABLE',
      message: 'Cannot read the JWT private key file named by SALESFORCE_PRIVATE_KEY_FILE (ENOENT)',
    });
    const garbage = '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----';
    const broken = createSalesforceConnector({ connection: { ...settings, privateKeyFile: garbage } });
    const failure = await failureOf(broken.describe('Lead'));
    expect(failure).toMatchObject({ kind: 'auth', code: 'PRIVATE_KEY_INVALID' });
    expect(failure.message).not.toContain('not a key');
  });

  it('names the missing settings when no credentials are given', async () => {
    const connector = createSalesforceConnector({ connection: { instanceUrl: 'http://127.0.0.1:9' } });
    const failure = await failureOf(connector.describe('Lead'));
    expect(failure).toMatchObject({ kind: 'auth', code: 'NO_CREDENTIALS' });
    expect(failure.message).toContain('SALESFORCE_ACCESS_TOKEN');
  });
});

describe('salesforce daily API reserve', () => {
  let sandbox: SalesforceSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('stops starting new pages once less than the reserve is left, with a message an admin can act on', async () => {
    sandbox = await startSalesforceSandbox({ dailyLimit: 100_000 });
    sandbox.seed(
      'Lead',
      Array.from({ length: 3000 }, (_, i) => lead(i)),
    );
    const connector = createSalesforceConnector({
      retry: FAST_RETRY,
      pageSize: 200,
      connection: { instanceUrl: sandbox.url, accessToken: sandbox.accessToken, dailyReserve: 0.1 },
    });
    sandbox.setUsage(89_994);
    const pages: number[] = [];
    const failure = await failureOf(
      (async () => {
        for await (const page of connector.pull('Lead', { fields: ['Email'] }))
          pages.push(page.records.length);
      })(),
    );
    expect(failure).toMatchObject({ kind: 'rate-limited', code: 'DAILY_API_RESERVE', retryable: true });
    expect(failure.message).toMatchInlineSnapshot(
      `"Salesforce daily API allocation nearly used: 90001 of 100000 calls made, 9999 left. crm-bridge keeps 10% (10000 calls) in reserve for other integrations and starts no new work until the rolling 24-hour window frees calls (or lower dailyReserve in the connection settings)."`,
    );
    // limits, describe, then pages until the reserve: the 15-page pull stopped early.
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.length).toBeLessThan(15);
    expect(connector.usage()).toEqual({ used: 90_001, limit: 100_000 });
  });

  it('reads the limits resource again while the reserve is reached, and carries on once calls were freed', async () => {
    sandbox = await startSalesforceSandbox({ dailyLimit: 100_000 });
    sandbox.seed(
      'Lead',
      Array.from({ length: 400 }, (_, i) => lead(i)),
    );
    const connector = createSalesforceConnector({
      retry: FAST_RETRY,
      pageSize: 200,
      reserveRecheckMs: 200,
      connection: { instanceUrl: sandbox.url, accessToken: sandbox.accessToken, dailyReserve: 0.1 },
    });
    sandbox.setUsage(95_000);
    const pull = () => collect(connector.pull('Lead', { fields: ['Email'] }));
    expect(await failureOf(pull())).toMatchObject({ code: 'DAILY_API_RESERVE' });
    sandbox.setUsage(50_000);
    // Within the recheck interval nothing is called: the reading stands.
    const before = sandbox.calls();
    expect(await failureOf(pull())).toMatchObject({ code: 'DAILY_API_RESERVE' });
    expect(sandbox.calls()).toBe(before);
    await new Promise((r) => setTimeout(r, 250));
    // One read of the limits resource, then the pull (describe and 2 pages).
    expect((await pull()).length).toBe(2);
    expect(sandbox.calls('limits')).toBe(2);
    expect(connector.usage()?.used).toBeLessThan(50_010);
  });
});
