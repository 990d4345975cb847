import { EventEmitter } from 'node:events';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOutput } from '../../cli/output.ts';
import { workerCommand } from '../../cli/worker-command.ts';
import { EXAMPLE_CUSTOM_PROPERTIES, HubSpotSandbox } from '../../sandboxes/hubspot/index.ts';
import {
  EXAMPLE_ORG,
  type SalesforceSandbox,
  startSalesforceSandbox,
} from '../../sandboxes/salesforce/index.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';
import { dropPrefix, keysUnder, REDIS_URL, testPrefix, until } from './redis-prefix.ts';

/** Credentials nobody could mistake for anything else. */
const SECRETS = {
  hubspotToken: 'pat-na1-SECRET-hubspot-0f1e2d3c4b5a',
  refreshToken: 'SECRET-sf-refresh-9a8b7c6d5e4f',
  clientSecret: 'SECRET-sf-client-1a2b3c4d5e6f',
};

/** Every key and value under the prefix, whatever the Redis type. */
async function redisDump(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await keysUnder(redis, prefix)) {
    parts.push(key);
    const type = await redis.type(key);
    if (type === 'string') parts.push(String(await redis.get(key)));
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  }
  return parts.join('\n');
}

describe('secrets never leave the worker', () => {
  const prefix = testPrefix();
  const saved = { ...process.env };
  const signals = new EventEmitter();
  const output = captureOutput();
  const issued: string[] = [];
  let sf: SalesforceSandbox;
  let hs: HubSpotSandbox;
  let db: TestDatabase;
  let exit: Promise<number>;

  beforeAll(async () => {
    sf = await startSalesforceSandbox({
      ...EXAMPLE_ORG,
      seed: 3,
      credentials: { refreshToken: SECRETS.refreshToken, clientSecret: SECRETS.clientSecret },
    });
    // The access tokens Salesforce hands out during the test are secrets too.
    const issue = sf.tokens.issue.bind(sf.tokens);
    sf.tokens.issue = () => {
      const token = issue();
      issued.push(token);
      return token;
    };
    hs = await HubSpotSandbox.start({
      seed: 3,
      credentials: { accessTokens: [SECRETS.hubspotToken] },
      limits: { perWindow: 10_000, searchPerSecond: 1000 },
      customProperties: EXAMPLE_CUSTOM_PROPERTIES,
    });
    sf.seed('Lead', [{ LastName: 'Lovelace', Email: 'ada@x.example', Company: 'X Ltd' }]);
    hs.seed('contacts', [{ email: 'carol@hooli.example.com', firstname: 'Carol', lastname: 'Shaw' }]);
    db = sqliteDatabase();
    Object.assign(process.env, {
      CRM_BRIDGE_CONFIG: 'config/example.yaml',
      DATABASE_URL: db.url,
      REDIS_URL,
      CRM_BRIDGE_QUEUE_PREFIX: prefix,
      SALESFORCE_INSTANCE_URL: sf.url,
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_CLIENT_ID: 'sandbox-client-id',
      SALESFORCE_CLIENT_SECRET: SECRETS.clientSecret,
      SALESFORCE_REFRESH_TOKEN: SECRETS.refreshToken,
      HUBSPOT_BASE_URL: hs.url,
      HUBSPOT_ACCESS_TOKEN: SECRETS.hubspotToken,
    });
    exit = workerCommand({ port: '0', logLevel: 'debug' }, output, signals);
    await until(() => output.stdout.includes('"msg":"round finished"'), 15_000, 'the first round');
    // Now HubSpot refuses the token: the next round fails for good, with a reason, as a dead letter.
    hs.expireToken();
    const queue = new Queue('sync', { connection: new Redis(REDIS_URL), prefix });
    await queue.add('sync', { pair: 'sf-hs', connections: ['sf', 'hs'], trigger: 'manual' });
    await until(() => output.stdout.includes('job failed for good'), 15_000, 'the dead letter');
    await queue.close();
    signals.emit('SIGTERM');
  }, 40_000);
  afterAll(async () => {
    process.env = saved;
    await Promise.all([sf.close(), hs.close()]);
    await db.drop();
    await dropPrefix(prefix);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await exit).toBe(0);
    expect(output.stdout).toContain('"msg":"worker stopped"');
  });

  it('leaves no token, secret or refresh token in any log line, job, key or error message', async () => {
    const redis = new Redis(REDIS_URL);
    const stored = await redisDump(redis, prefix);
    redis.disconnect();
    const logs = output.stdout + output.stderr;
    // The scan covers the logs, every key and value under the prefix (payloads, results, failure reasons).
    expect(logs).toContain('auth');
    expect(stored).toContain('trigger');
    expect(stored).toContain('auth EXPIRED_AUTHENTICATION: HubSpot answered 401');
    expect(issued.length).toBeGreaterThan(0);
    for (const secret of [...Object.values(SECRETS), ...issued]) {
      expect(logs).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
  });

  it('logs JSON lines only', () => {
    const lines = output.stdout.trim().split('\n');
    expect(lines.every((l) => typeof JSON.parse(l) === 'object')).toBe(true);
  });
});
