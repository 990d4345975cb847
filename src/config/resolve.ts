import type { Connection } from '../../connectors/index.ts';
import type { Resolved } from '../connector/descriptor.ts';
import { envValue, processEnv } from '../env.ts';
import { envRefName } from './env-ref.ts';

export type { Resolved } from '../connector/descriptor.ts';

/**
 * Resolves a connection's settings from the environment. The result holds secrets: pass it to a connector factory
 * and nowhere else (never to a log, a job payload or an error message).
 */
export function resolveConnection<C extends Connection>(
  connection: C,
  env: NodeJS.ProcessEnv = processEnv(),
): Resolved<C> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(connection)) {
    const name = typeof value === 'string' ? envRefName(value) : undefined;
    out[key] = name === undefined ? value : envValue(name, env);
  }
  return out as Resolved<C>;
}
