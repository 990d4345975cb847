import * as z from 'zod';
import { EXAMPLE_DATABASE_URL, redactUrl } from './store/store-location.ts';

/** The config file when neither --config nor CRM_BRIDGE_CONFIG names one. */
export const DEFAULT_CONFIG_FILE = './crm-bridge.yaml';

/** The Redis key prefix of the queues when CRM_BRIDGE_QUEUE_PREFIX is not set. */
export const DEFAULT_QUEUE_PREFIX = '{crm-bridge}';

/**
 * The only module that reads `process.env`. Fails with one message naming every invalid variable; credential
 * variables are read by name through `envValue`, as the config's `env:NAME` references say.
 */
const Env = z.object({
  CRM_BRIDGE_CONFIG: z.string().min(1).default(DEFAULT_CONFIG_FILE),
  REDIS_URL: z
    .url({
      protocol: /^rediss?$/,
      error: (issue) => `expected redis://host:port or rediss://…${got(issue.input)}`,
    })
    .default('redis://127.0.0.1:6379'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:)/, {
      error: (issue) =>
        `expected sqlite:<path> or postgres://…, e.g. ${EXAMPLE_DATABASE_URL}${got(issue.input)}`,
    })
    .default(EXAMPLE_DATABASE_URL),
  /**
   * The prefix of every Redis key of the queues. The braces are a Redis Cluster hash tag: all keys land in one
   * slot, which BullMQ's multi-key scripts need. Deployments sharing one Redis each take their own prefix.
   */
  CRM_BRIDGE_QUEUE_PREFIX: z
    .string()
    .regex(/^[^\s:{}]*\{[A-Za-z0-9_.-]+\}[^\s:{}]*$/, {
      error: 'expected a prefix holding one {hash-tag} and no spaces or ":", e.g. {crm-bridge}',
    })
    .default(DEFAULT_QUEUE_PREFIX),
});
export type Env = z.infer<typeof Env>;

/** The value a variable had, for a message: URLs lose their password. */
function got(input: unknown): string {
  return typeof input === 'string' ? `; got "${redactUrl(input)}"` : '';
}

/** Variables that are set but invalid: the message names every one with what it expects, in one line. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const result = Env.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new EnvError(`invalid environment: ${problems.join('; ')}`);
}

/** The process environment, for callers that pass it on (e.g. to resolve a connection's env:NAME settings). */
export function processEnv(): NodeJS.ProcessEnv {
  return process.env;
}

/** The config file named by CRM_BRIDGE_CONFIG, else the default (without validating anything else). */
export function configFileFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return envValue('CRM_BRIDGE_CONFIG', env) ?? DEFAULT_CONFIG_FILE;
}

/** The value of a variable named by the config; empty strings count as unset. */
export function envValue(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}
