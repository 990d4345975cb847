import { envRefName } from '../src/config/env-ref.ts';
import type { BridgeConfig } from '../src/config/schema.ts';
import { envValue } from '../src/env.ts';

/** Replaces every known secret in a text. */
export type Scrubber = (text: string) => string;

/** The connection settings that hold secrets (the config's `secretRef` fields). */
const SECRET_SETTINGS = ['accessToken', 'refreshToken', 'clientSecret', 'password'] as const;

/**
 * The values of every secret the config names, read from the environment. Connectors already keep credentials
 * out of their messages; this is the second line: whatever text leaves the worker (job failure reasons, logs)
 * passes through `scrubber`, so a provider that echoes a token back cannot leak it.
 */
export function secretValues(config: Pick<BridgeConfig, 'connections'>, env?: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  for (const connection of Object.values(config.connections)) {
    for (const setting of SECRET_SETTINGS) {
      const ref = (connection as Partial<Record<string, unknown>>)[setting];
      const name = typeof ref === 'string' ? envRefName(ref) : undefined;
      const value = name === undefined ? undefined : envValue(name, env);
      // Very short values would blank out ordinary words; no real token is that short.
      if (value !== undefined && value.length >= 8) out.add(value);
    }
  }
  return [...out];
}

export function scrubber(secrets: readonly string[]): Scrubber {
  if (secrets.length === 0) return (text) => text;
  return (text) => secrets.reduce((t, secret) => t.split(secret).join('[redacted]'), text);
}
