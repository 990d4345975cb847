import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCluster, startCluster } from '../../bench/redis-cluster.ts';
import { PairLocks } from '../../jobs/pair-lock.ts';
import { clusterNodes, connectRedis, openRedis, RedisUnreachable } from '../../jobs/redis.ts';
import { testPrefix, until } from './redis-prefix.ts';

describe('REDIS_URL naming a Redis Cluster', () => {
  it('reads the cluster flag and the seed nodes, and leaves a plain URL alone', () => {
    expect(clusterNodes('redis://127.0.0.1:6379')).toBeUndefined();
    expect(clusterNodes('redis://127.0.0.1:6379?cluster=false')).toBeUndefined();
    expect(clusterNodes('redis://10.0.0.1:7000?cluster=true&nodes=10.0.0.2:7001,10.0.0.3')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '10.0.0.3', port: 6379 },
    ]);
    expect(() => clusterNodes('redis://10.0.0.1:7000?cluster=true&nodes=10.0.0.2:x')).toThrow(
      'REDIS_URL: the cluster node "10.0.0.2:x" needs host:port',
    );
  });

  it('says a cluster that does not answer cannot be reached, without its password', async () => {
    const error = await openRedis('redis://:s3cret@127.0.0.1:1?cluster=true', 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnreachable);
    expect(String((error as Error).message)).toContain('Redis at redis://');
    expect(String((error as Error).message)).not.toContain('s3cret');
  });

  describe('on three masters', () => {
    let cluster: LocalCluster;
    beforeAll(async () => {
      cluster = await startCluster();
    }, 90_000);
    afterAll(async () => {
      await cluster?.close();
    });

    it('runs the queues and the pair lock on it, through a restart of the master holding the prefix', async () => {
      const prefix = testPrefix();
      const redis = connectRedis(cluster.url);
      const queue = new Queue('sync', { connection: redis, prefix });
      const done: number[] = [];
      const worker = new Worker(
        'sync',
        async (job) => {
          done.push(Number(job.data.n));
          return Number(job.data.n) * 2;
        },
        { connection: connectRedis(cluster.url), prefix },
      );
      worker.on('error', () => {});
      try {
        const locks = new PairLocks(redis, prefix);
        const lease = await locks.acquire('sf-hs', 'round-1');
        expect(lease).toBeDefined();
        expect(await locks.acquire('sf-hs', 'round-2')).toBeUndefined();
        expect(await locks.holder('sf-hs')).toBe('round-1');
        await lease?.release();

        await queue.add('one', { n: 1 });
        await until(() => done.includes(1), 15_000, 'the first job');
        // The prefix's hash tag puts every queue key in one slot: restart whichever master serves it.
        const index = await cluster.ownerOf(prefix);
        expect(index).toBeGreaterThanOrEqual(0);
        await cluster.restart(index);
        await queue.add('two', { n: 2 });
        await until(() => done.includes(2), 30_000, 'the job added after the restart');
        expect(await queue.getJobCounts('completed')).toEqual({ completed: 2 });
      } finally {
        await worker.close();
        await queue.close();
        redis.disconnect();
      }
    }, 90_000);
  });
});
