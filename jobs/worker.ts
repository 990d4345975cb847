import { type Job, Worker } from 'bullmq';
import type { SyncContext } from '../src/sync/context.ts';
import { CallLedger } from './call-ledger.ts';
import { type ExtraRoutes, startHttpServer } from './http-server.ts';
import type { Logger } from './logger.ts';
import { type WorkerMetrics, workerMetrics } from './metrics.ts';
import { CHILD_QUEUES, pairId, SLICE_QUEUE, SYNC_QUEUE } from './names.ts';
import { PairLocks } from './pair-lock.ts';
import type { PushJobResult, SliceJobResult, SyncJobResult } from './payloads.ts';
import { progressLog } from './progress-log.ts';
import { pushProcessor } from './push-processor.ts';
import {
  openChildQueues,
  openSliceQueue,
  openSyncQueue,
  type PushQueue,
  type PushRetry,
  type SliceQueue,
  type SyncQueue,
} from './queues.ts';
import { connectRedis } from './redis.ts';
import { reconcileSchedules } from './schedules.ts';
import { scrubber } from './secrets.ts';
import { sliceProcessor } from './slice-processor.ts';
import { type RunRound, syncProcessor } from './sync-processor.ts';
import { UsageBoard } from './usage-board.ts';

export interface WorkerOptions {
  /** The config, store and connectors the rounds run with; closed when the worker stops. */
  readonly runtime: { readonly ctx: SyncContext; close(): Promise<void> };
  readonly redisUrl: string;
  /** The queues' key prefix, with a hash tag (CRM_BRIDGE_QUEUE_PREFIX). */
  readonly prefix: string;
  readonly logger: Logger;
  /** Sync rounds (steps) processed at once by this process (default 1). */
  readonly concurrency?: number;
  /** Push and convert batches processed at once by this process, per queue (default 4); the API budgets pace them. */
  readonly pushConcurrency?: number;
  /** How long `stop()` waits for in-flight rounds before it hands them back to the queue (default 30 s). */
  readonly shutdownTimeoutMs?: number;
  /**
   * Where `/healthz` and `/metrics` listen; absent: no HTTP server. Port 0 picks a free port. `routes` serves more
   * pages on the same port (the admin console).
   */
  readonly http?: { readonly port: number; readonly host?: string; readonly routes?: ExtraRoutes };
  /** Secret values to scrub from every failure reason and log line. */
  readonly secrets?: readonly string[];
  /**
   * A round run whole in the job that took it (e.g. `runSync`). By default a round runs as steps whose push
   * batches are jobs any worker takes.
   */
  readonly run?: RunRound;
  /** Attempts and first backoff of push batches (default 8 attempts from 2 s: about 4 minutes of outage). */
  readonly pushRetry?: PushRetry;
  /** How long a round keeps its pair lock past its last step or batch while its batches wait (default 10 min). */
  readonly roundLockMs?: number;
  /** The pair lock's expiry (default 60 s). */
  readonly lockTtlMs?: number;
  /** How long a requested round waits while its pair is busy (default 5 s). */
  readonly busyDelayMs?: number;
  /**
   * BullMQ's job lock and stall check (default 30 s): a round whose worker died is handed to another worker about
   * this long after its last renewal.
   */
  readonly jobLockMs?: number;
}

export interface RunningWorker {
  /** The sync queue, on the worker's connection (to add jobs, read counts). */
  readonly queue: SyncQueue;
  /** The push and convert queues, by name. */
  readonly children: ReadonlyMap<string, PushQueue>;
  /** The queue of rounds' slice steps. */
  readonly slices: SliceQueue;
  /** The BullMQ worker, for its events. */
  readonly worker: Worker<unknown, SyncJobResult>;
  /** What `/metrics` serves. */
  readonly metrics: WorkerMetrics;
  /** The HTTP server's port, when one runs. */
  readonly port: number | undefined;
  /**
   * Stops taking jobs, lets in-flight rounds finish within the shutdown timeout, then hands any still running
   * back to the queue (another worker redoes them: cursors are only committed at the end of a round), and closes
   * Redis, the store and the HTTP server. Resolves to how it went.
   */
  stop(): Promise<'graceful' | 'forced'>;
}

/** Starts the sync worker: reconciles the schedulers with the config, then processes rounds until stopped. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { runtime, logger, prefix } = options;
  const scrub = scrubber(options.secrets ?? []);
  const redis = connectRedis(options.redisUrl);
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection problem'));
  const queue = openSyncQueue(redis, prefix);
  const reconciled = await reconcileSchedules(queue, runtime.ctx.config);
  // A Redis that lost its data (restarted without persistence) lost the schedulers too: register them again on
  // every reconnect. The rounds it lost are redone by the next one (their cursors never moved).
  redis.on('ready', () => {
    reconcileSchedules(queue, runtime.ctx.config).catch((error: unknown) =>
      logger.warn({ err: error }, 'could not register the schedules again after a reconnect'),
    );
  });
  logger.info({ pair: pairId(runtime.ctx.config), ...reconciled }, 'schedules reconciled');

  const locks = new PairLocks(redis, prefix, {
    ...(options.lockTtlMs === undefined ? {} : { ttlMs: options.lockTtlMs }),
    onLost: (pair) =>
      logger.error({ pair }, 'the pair lock expired while a round ran; another round may overlap'),
  });
  const metrics = workerMetrics(runtime.ctx.store, runtime.ctx.connectors);
  const children = openChildQueues(redis, prefix, options.pushRetry);
  const slices = openSliceQueue(redis, prefix);
  for (const q of [queue, ...children.values(), slices])
    q.on('error', (error) => logger.warn({ err: error, queue: q.name }, 'queue connection problem'));
  const ledger = new CallLedger(runtime.ctx);
  const roundLockMs = options.roundLockMs ?? 10 * 60_000;
  // The round's steps report their progress into this worker's log. The context's accessors are kept, not read
  // once here: a config the admin console saves (and reloads) reaches the next round without a restart.
  const { onProgress: _replaced, ...accessors } = Object.getOwnPropertyDescriptors(runtime.ctx);
  const ctx = Object.defineProperties({ ...runtime.ctx, onProgress: progressLog(logger) }, accessors);
  const processor = syncProcessor({
    ctx,
    run: options.run ?? { children, slices, roundLockMs, ledger },
    locks,
    logger,
    metrics,
    scrub,
    busyDelayMs: options.busyDelayMs ?? 5_000,
  });
  // In-flight jobs with their lock tokens and completion, to wait for them or hand them back on shutdown.
  const inFlight = new Map<string, { job: Job; token: string | undefined; done: Promise<unknown> }>();
  const tracked =
    <R>(run: (job: Job<unknown, R>, token?: string) => Promise<R>) =>
    (job: Job<unknown, R>, token?: string): Promise<R> => {
      const key = `${job.queueName}/${job.id ?? ''}`;
      const done = run(job, token);
      inFlight.set(key, { job, token, done: done.catch(() => {}) });
      return done.finally(() => inFlight.delete(key));
    };
  const lockOptions =
    options.jobLockMs === undefined
      ? {}
      : { lockDuration: options.jobLockMs, stalledInterval: options.jobLockMs };
  // Nothing is taken before everything the worker needs has started (its HTTP port among them): see below.
  const worker = new Worker<unknown, SyncJobResult>(SYNC_QUEUE, tracked(processor), {
    connection: redis,
    prefix,
    concurrency: options.concurrency ?? 1,
    autorun: false,
    ...lockOptions,
  });
  // Push and convert batches: every worker of the pair takes them, whichever round's job added them.
  const pushing = pushProcessor({ ctx, locks, roundLockMs, ledger, logger, metrics, scrub });
  const pushWorkers: Worker[] = CHILD_QUEUES.map(
    (name) =>
      new Worker<unknown, PushJobResult>(name, tracked(pushing), {
        connection: redis,
        prefix,
        concurrency: options.pushConcurrency ?? 4,
        autorun: false,
        ...lockOptions,
      }),
  );
  // Slice steps: one at a time per process, as they keep a core busy; every worker of the pair takes them.
  const sliceWorker = new Worker<unknown, SliceJobResult>(
    SLICE_QUEUE,
    tracked(sliceProcessor({ ctx, locks, roundLockMs, ledger, logger, metrics, scrub })),
    { connection: redis, prefix, concurrency: 1, autorun: false, ...lockOptions },
  );
  const childWorkers: Worker[] = [...pushWorkers, sliceWorker];
  for (const w of childWorkers)
    w.on('error', (error) => logger.error({ err: error }, 'batch or slice worker error'));
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  // After each round, the budgets the CRMs reported go where `crm-bridge status` reads them.
  const board = new UsageBoard(redis, prefix);
  const publishUsage = () => {
    board
      .publish(runtime.ctx.connectors)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not publish the API budgets'));
  };
  worker.on('completed', publishUsage);
  worker.on('failed', (job, error) => {
    publishUsage();
    if (job === undefined) return;
    const attempts = job.opts.attempts ?? 1;
    if (error.name === 'UnrecoverableError' || job.attemptsMade >= attempts)
      logger.error(
        { jobId: job.id, err: error },
        'job failed for good: kept as a dead letter (crm-bridge replay)',
      );
  });

  let stopping = false;
  let http: Awaited<ReturnType<typeof startHttpServer>> | undefined;
  try {
    http =
      options.http === undefined
        ? undefined
        : await startHttpServer({
            ...options.http,
            registry: metrics.registry,
            probe: {
              async problem() {
                if (stopping || !worker.isRunning()) return 'the worker is not running';
                const pong = await Promise.race([
                  redis.ping().catch(() => 'error'),
                  new Promise((resolve) => setTimeout(resolve, 1000, 'timeout')),
                ]);
                return pong === 'PONG' ? undefined : `redis does not answer (${String(pong)})`;
              },
            },
          });
  } catch (error) {
    // The port is taken (or the like): leave before taking a single job, releasing what was opened.
    await Promise.allSettled([worker, ...childWorkers].map((w) => w.close(true)));
    await Promise.allSettled([
      queue.close(),
      slices.close(),
      ...[...children.values()].map((q) => q.close()),
    ]);
    await redis.quit().catch(() => redis.disconnect());
    throw error;
  }
  for (const w of [worker, ...childWorkers])
    w.run().catch((error: unknown) => logger.error({ err: error }, 'worker stopped taking jobs'));
  logger.info(
    {
      concurrency: options.concurrency ?? 1,
      pushConcurrency: options.pushConcurrency ?? 4,
      port: http?.port,
    },
    'worker started',
  );

  let stopped: Promise<'graceful' | 'forced'> | undefined;
  const stop = async (): Promise<'graceful' | 'forced'> => {
    stopping = true;
    logger.info({ inFlight: inFlight.size }, 'stopping: no new jobs; waiting for the jobs in flight');
    const timeoutMs = options.shutdownTimeoutMs ?? 30_000;
    // Pause first (no new jobs, without waiting): worker.close() cannot be forced once a gentle close began.
    await Promise.all([worker, ...childWorkers].map((w) => w.pause(true)));
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      Promise.all([...inFlight.values()].map((f) => f.done)).then(() => 'graceful' as const),
      new Promise<'forced'>((resolve) => {
        timer = setTimeout(resolve, timeoutMs, 'forced');
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'forced') {
      const handedBack = [...inFlight.values()];
      for (const { job, token } of handedBack) {
        await job
          .moveToWait(token)
          .catch((error: unknown) =>
            logger.warn(
              { jobId: job.id, err: error },
              'could not hand a job back; it will be redone as stalled',
            ),
          );
      }
      logger.warn(
        { handedBack: handedBack.length, timeoutMs },
        'shutdown timeout: in-flight jobs handed back',
      );
    }
    await Promise.all([worker, ...childWorkers].map((w) => w.close(outcome === 'forced')));
    await http?.close();
    await queue.close();
    await Promise.all([...children.values(), slices].map((q) => q.close()));
    await runtime.close().catch((error: unknown) => logger.error({ err: error }, 'closing the store failed'));
    await redis.quit().catch(() => redis.disconnect());
    logger.info({ outcome }, 'worker stopped');
    return outcome;
  };
  return {
    queue,
    children,
    slices,
    worker,
    metrics,
    port: http?.port,
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}
