import type { EventEmitter } from 'node:events';
import { assembleConsole, connectConsoleRedis, tokenProblem } from '../console/assemble.ts';
import { LiveProject } from '../console/live-project.ts';
import { startConsoleServer } from '../console/server.ts';
import { checkRedis, connectRedis } from '../jobs/redis.ts';
import { RedisCallGate } from '../jobs/shared-window.ts';
import { envValue, processEnv, readEnv } from '../src/env.ts';
import { configPath } from './config-path.ts';
import type { Output } from './output.ts';
import { openRuntime, setupProblem } from './runtime.ts';

export interface ConsoleOptions {
  readonly config?: string;
  readonly port?: string;
  readonly host?: string;
  readonly hubspotPortal?: string;
}

/** The console's tokens from the environment. */
export function consoleTokens(env: NodeJS.ProcessEnv = processEnv()) {
  return {
    admin: envValue('CRM_BRIDGE_CONSOLE_TOKEN', env),
    readonly: envValue('CRM_BRIDGE_CONSOLE_READONLY_TOKEN', env),
  };
}

/**
 * Serves the admin console until SIGTERM or SIGINT, on loopback unless `--host` says otherwise: the same state store,
 * Redis queues and config the CLI and the workers use. Rounds a replay queues are run by the workers.
 */
export async function consoleCommand(
  options: ConsoleOptions,
  output: Output,
  signals: EventEmitter = process,
): Promise<number> {
  const port = options.port === undefined ? 9465 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    output.err(`--port expects a whole number from 0 to 65535; got "${options.port}"`);
    return 2;
  }
  if (options.hubspotPortal !== undefined && !/^\d+$/.test(options.hubspotPortal)) {
    output.err(`--hubspot-portal expects the portal's number (Hub ID); got "${options.hubspotPortal}"`);
    return 2;
  }
  const tokens = consoleTokens();
  const problem = tokenProblem(tokens);
  if (problem !== undefined || tokens.admin === undefined) {
    output.err(problem ?? 'the console needs CRM_BRIDGE_CONSOLE_TOKEN');
    return 2;
  }
  const env = readEnv();
  // The console's CRM calls (describe, explain, dry runs) come out of the budget the workers share.
  const gateRedis = connectRedis(env.REDIS_URL, { lazy: true });
  gateRedis.on('error', () => {});
  const closeGate = () => gateRedis.disconnect();
  let runtime: Awaited<ReturnType<typeof openRuntime>>;
  try {
    runtime = await openRuntime(options.config, {
      gate: new RedisCallGate(gateRedis, env.CRM_BRIDGE_QUEUE_PREFIX),
    });
  } catch (error) {
    closeGate();
    const setup = setupProblem(error);
    if (setup === undefined) throw error;
    output.err(setup);
    return 1;
  }
  try {
    // Fail at start, in one line, when Redis does not answer; later outages are a page's error, not the process's.
    await checkRedis(env.REDIS_URL);
  } catch (error) {
    await runtime.close();
    closeGate();
    const setup = setupProblem(error);
    if (setup === undefined) throw error;
    output.err(setup);
    return 1;
  }
  const redis = connectConsoleRedis(env.REDIS_URL);
  const project = new LiveProject(runtime.ctx, configPath(options.config));
  const assembled = assembleConsole({
    project,
    redis,
    prefix: env.CRM_BRIDGE_QUEUE_PREFIX,
    tokens: { admin: tokens.admin, readonly: tokens.readonly },
    env: processEnv(),
    hubspotPortal: options.hubspotPortal,
  });
  try {
    const server = await startConsoleServer(assembled.deps, {
      port,
      ...(options.host === undefined ? {} : { host: options.host }),
    });
    output.out(
      `crm-bridge console on http://${server.host}:${server.port}/ (sign in with CRM_BRIDGE_CONSOLE_TOKEN)`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        signals.off('SIGTERM', stop);
        signals.off('SIGINT', stop);
        resolve();
      };
      signals.on('SIGTERM', stop);
      signals.on('SIGINT', stop);
    });
    await server.close();
    return 0;
  } catch (error) {
    output.err(`the console could not start: ${(error as Error).message}`);
    return 1;
  } finally {
    await assembled.close();
    redis.disconnect();
    await runtime.close();
    closeGate();
  }
}
