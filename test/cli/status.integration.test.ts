import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { UsageBoard } from '../../jobs/usage-board.ts';
import { startWorker } from '../../jobs/worker.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { Connector } from '../../src/connector/types.ts';
import { openStore } from '../../src/store/index.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from '../jobs/redis-prefix.ts';
import { memoryLogger, quietRuntime } from '../jobs/worker-kit.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';

describe('crm-bridge status and replay of dead letters', () => {
  const prefix = testPrefix();
  let db: TestDatabase;
  const saved = { ...process.env };
  beforeAll(async () => {
    db = sqliteDatabase();
    Object.assign(process.env, { DATABASE_URL: db.url, REDIS_URL, CRM_BRIDGE_QUEUE_PREFIX: prefix });
    const store = await openStore(db.url);
    await store.startRun('run-1', 'sf-hs');
    await store.finishRun('run-1', 'succeeded', {
      counts: { 'person.created.hs/contacts': 3, 'person.quarantined': 1 },
      apiCalls: { sf: 7, hs: 5 },
      errors: {},
      durationMs: 420,
    });
    await store.quarantine([
      {
        entity: 'person',
        connection: 'hs',
        object: 'contacts',
        externalId: '501',
        field: 'email',
        value: 'ada@@example',
        reason: 'email: invalid e-mail',
      },
    ]);
    await store.close();
    // A worker (schedule every 15 m) whose round is refused for its credentials: one dead letter.
    const worker = await startWorker({
      runtime: await quietRuntime({ every: '15m' }),
      redisUrl: REDIS_URL,
      prefix,
      logger: memoryLogger().logger,
      run: async () => {
        throw new ConnectorFailure({
          kind: 'auth',
          code: 'INVALID_SESSION_ID',
          message: 'Session expired or invalid',
        });
      },
    });
    await worker.queue.add(
      'sync',
      { pair: 'sf-hs', connections: ['sf', 'hs'], trigger: 'manual' },
      { jobId: 'm1' },
    );
    await until(
      async () => (await worker.queue.getJobCounts('failed')).failed === 2,
      5000,
      'two dead letters',
    );
    await worker.stop();
    // What the Salesforce connector reported after a round.
    const redis = new Redis(REDIS_URL);
    const salesforce = {
      system: 'salesforce',
      usage: () => ({ used: 120, limit: 100_000 }),
    } as unknown as Connector;
    await new UsageBoard(redis, prefix).publish({ sf: salesforce }, new Date('2026-11-25T12:00:00.000Z'));
    redis.disconnect();
  });
  afterAll(async () => {
    process.env = saved;
    await dropPrefix(prefix);
    await db.drop();
  });

  it('shows queues, schedules, dead letters, last runs, errors by type and the quarantine size', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'status'], output)).toBe(0);
    const text = output.stdout
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
      .replace(/repeat:sync-sf-hs:\d+/g, 'repeat:sync-sf-hs:<n>');
    expect(text.split('\n').sort()).toEqual(
      [
        'queue sync: 0 waiting, 0 active, 1 delayed, 2 failed, 0 completed',
        'queue push-salesforce: 0 waiting, 0 active, 0 delayed, 0 failed, 0 completed',
        'queue push-hubspot: 0 waiting, 0 active, 0 delayed, 0 failed, 0 completed',
        'queue push-pipedrive: 0 waiting, 0 active, 0 delayed, 0 failed, 0 completed',
        'queue convert: 0 waiting, 0 active, 0 delayed, 0 failed, 0 completed',
        'schedule sync-sf-hs: every 15m, next <time>',
        'rounds under way: none',
        'dead letters: 2 (crm-bridge replay --job <id> or --all)',
        '  m1 sf-hs failed <time> after 1 attempts: auth INVALID_SESSION_ID: Session expired or invalid',
        '  repeat:sync-sf-hs:<n> sf-hs failed <time> after 1 attempts: auth INVALID_SESSION_ID: Session expired or invalid',
        'last runs (newest first):',
        '  <time> sf-hs succeeded in 420 ms, api calls sf 7, hs 5: person.created.hs/contacts 3, person.quarantined 1',
        'errors by type: auth 2',
        'api budget sf (salesforce): 99880 of 100000 calls left, as of <time>',
        'quarantine: 1 open record (crm-bridge quarantine; crm-bridge replay --record <id> or --all)',
        '',
      ].sort(),
    );
  });

  it('prints the same as JSON', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'status', '--json'], output)).toBe(0);
    const status = JSON.parse(output.stdout);
    expect(status).toMatchObject({
      queues: { sync: { waiting: 0, active: 0, delayed: 1, failed: 2, completed: 0 } },
      schedules: [{ id: 'sync-sf-hs', pair: 'sf-hs', every: 900_000 }],
      errors: { auth: 2 },
      quarantine: { open: 1 },
      budgets: { sf: { system: 'salesforce', used: 120, limit: 100_000, at: '2026-11-25T12:00:00.000Z' } },
      runs: [{ id: 'run-1', status: 'succeeded', summary: { durationMs: 420 } }],
    });
    expect(status.deadLetters).toHaveLength(2);
  });

  it('re-queues a dead letter with fresh attempts, and says which ids were not dead letters', async () => {
    const output = captureOutput();
    expect(await main(['node', 'crm-bridge', 'replay', '--job', 'm1', 'nope', '--json'], output)).toBe(1);
    expect(JSON.parse(output.stdout)).toEqual({ deadLetters: { requeued: ['m1'], missing: ['nope'] } });
    const after = captureOutput();
    await main(['node', 'crm-bridge', 'status', '--json'], after);
    expect(JSON.parse(after.stdout).queues.sync).toMatchObject({ waiting: 1, failed: 1 });
  });
});
