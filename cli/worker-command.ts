import type { EventEmitter } from 'node:events';
import {
  type AssembledConsole,
  assembleConsole,
  connectConsoleRedis,
  tokenProblem,
} from '../console/assemble.ts';
import { LiveProject } from '../console/live-project.ts';
import { consoleHandler } from '../console/server.ts';
import { createLogger } from '../jobs/logger.ts';
import { checkRedis, connectRedis } from '../jobs/redis.ts';
import { scrubber, secretValues } from '../jobs/secrets.ts';
import { RedisCallGate } from '../jobs/shared-window.ts';
import { startWorker } from '../jobs/worker.ts';
import { processEnv, readEnv } from '../src/env.ts';
import { configPath } from './config-path.ts';
import { consoleTokens } from './console-command.ts';
import type { Output } from './output.ts';
import { openRuntime, setupProblem } from './runtime.ts';

export interface WorkerCommandOptions {
  readonly config?: string;
  readonly concurrency?: string;
  readonly pushConcurrency?: string;
  readonly port?: string;
  readonly host?: string;
  readonly shutdownTimeout?: string;
  readonly logLevel?: string;
  /** Also serve the admin console on the worker's port. */
  readonly console?: boolean;
  readonly hubspotPortal?: string;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** Parses the flags; a string is the usage error to print. */
function parse(options: WorkerCommandOptions) {
  const int = (text: string | undefined, fallback: number, min: number, max: number, flag: string) => {
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(value) || value < min || value > max)
      return `${flag} expects a whole number from ${min} to ${max}; got "${text}"`;
    return value;
  };
  const concurrency = int(options.concurrency, 1, 1, 64, '--concurrency');
  const pushConcurrency = int(options.pushConcurrency, 4, 1, 64, '--push-concurrency');
  const port = int(options.port, 9464, 0, 65535, '--port');
  const timeout = int(options.shutdownTimeout, 30, 0, 3600, '--shutdown-timeout');
  for (const value of [concurrency, pushConcurrency, port, timeout])
    if (typeof value === 'string') return value;
  const level = options.logLevel ?? 'info';
  if (!LEVELS.includes(level)) return `--log-level expects one of ${LEVELS.join(', ')}; got "${level}"`;
  return {
    concurrency: concurrency as number,
    pushConcurrency: pushConcurrency as number,
    port: port as number,
    shutdownTimeoutMs: (timeout as number) * 1000,
    level,
  };
}

/**
 * Runs the sync worker until SIGTERM or SIGINT: reconciles the schedulers with the config, processes rounds,
 * serves /healthz and /metrics, logs JSON lines to `output.out`. Exits 0 after a graceful stop, 1 when the
 * shutdown timeout handed rounds back to the queue; a second signal ends the process at once.
 */
export async function workerCommand(
  options: WorkerCommandOptions,
  output: Output,
  signals: EventEmitter = process,
): Promise<number> {
  const parsed = parse(options);
  if (typeof parsed === 'string') {
    output.err(parsed);
    return 2;
  }
  const tokens = consoleTokens();
  if (options.console) {
    const problem =
      parsed.port === 0
        ? '--console needs the HTTP server: give a --port other than 0'
        : tokenProblem(tokens);
    if (problem !== undefined) {
      output.err(problem);
      return 2;
    }
  }
  let runtime: Awaited<ReturnType<typeof openRuntime>>;
  let project: LiveProject | undefined;
  const env = readEnv();
  // Every worker calling the same accounts shares their API budgets through Redis (HubSpot's 10-second window).
  // Its connection problems show in the worker's own Redis connection's log lines.
  // It connects on its first call, after the check below.
  const gateRedis = connectRedis(env.REDIS_URL, { lazy: true });
  gateRedis.on('error', () => {});
  const closeGate = async () => {
    // Not connected yet: quit() would connect first.
    if (gateRedis.status === 'wait') gateRedis.disconnect();
    else if (gateRedis.status !== 'end') await gateRedis.quit().catch(() => gateRedis.disconnect());
  };
  try {
    const opened = await openRuntime(options.config, {
      gate: new RedisCallGate(gateRedis, env.CRM_BRIDGE_QUEUE_PREFIX),
    });
    // With the console, the rounds follow the config file, so that a value map saved there applies to the next one.
    project = options.console ? new LiveProject(opened.ctx, configPath(options.config)) : undefined;
    runtime = {
      ctx: project?.ctx ?? opened.ctx,
      async close() {
        await opened.close();
        await closeGate();
      },
    };
  } catch (error) {
    await closeGate();
    const problem = setupProblem(error);
    if (problem === undefined) throw error;
    output.err(problem);
    return 1;
  }
  // Before any job, with a client of its own that gives up after 5 s: the worker's connections wait for Redis
  // forever (as BullMQ's blocking commands must), which at start would be a log line per retry and no exit.
  try {
    await checkRedis(env.REDIS_URL);
  } catch (error) {
    await runtime.close();
    const problem = setupProblem(error);
    if (problem === undefined) throw error;
    output.err(problem);
    return 1;
  }
  const secrets = secretValues(runtime.ctx.config, processEnv());
  const logger = createLogger({
    level: parsed.level,
    scrub: scrubber(secrets),
    destination: { write: (line: string) => output.out(line) },
  });
  // The console reads the queues through a connection of its own, which reconnects as the worker's do.
  const consoleRedis = project === undefined ? undefined : connectConsoleRedis(env.REDIS_URL);
  const admin: AssembledConsole | undefined =
    project === undefined || consoleRedis === undefined || tokens.admin === undefined
      ? undefined
      : assembleConsole({
          project,
          redis: consoleRedis,
          prefix: env.CRM_BRIDGE_QUEUE_PREFIX,
          tokens: { admin: tokens.admin, readonly: tokens.readonly },
          env: processEnv(),
          hubspotPortal: options.hubspotPortal,
        });
  const closeConsole = async () => {
    await admin?.close();
    consoleRedis?.disconnect();
  };
  let worker: Awaited<ReturnType<typeof startWorker>>;
  try {
    worker = await startWorker({
      runtime,
      redisUrl: env.REDIS_URL,
      prefix: env.CRM_BRIDGE_QUEUE_PREFIX,
      logger,
      secrets,
      concurrency: parsed.concurrency,
      pushConcurrency: parsed.pushConcurrency,
      shutdownTimeoutMs: parsed.shutdownTimeoutMs,
      ...(parsed.port === 0
        ? {}
        : {
            http: {
              port: parsed.port,
              // The console binds loopback unless a host is named (behind a TLS proxy, say).
              ...(options.host ? { host: options.host } : admin ? { host: '127.0.0.1' } : {}),
              ...(admin ? { routes: consoleHandler(admin.deps) } : {}),
            },
          }),
    });
  } catch (error) {
    await closeConsole();
    await runtime.close();
    output.err(`the worker could not start: ${(error as Error).message}`);
    return 1;
  }
  const signal = await new Promise<string>((resolve) => {
    const handlers = {
      SIGTERM: () => settle('SIGTERM'),
      SIGINT: () => settle('SIGINT'),
    };
    const settle = (name: string) => {
      // Once ours are gone, a second signal gets Node's default: the process ends at once.
      for (const [event, handler] of Object.entries(handlers)) signals.off(event, handler);
      resolve(name);
    };
    for (const [event, handler] of Object.entries(handlers)) signals.on(event, handler);
  });
  logger.info({ signal }, 'signal received');
  const outcome = await worker.stop();
  await closeConsole();
  return outcome === 'graceful' ? 0 : 1;
}
