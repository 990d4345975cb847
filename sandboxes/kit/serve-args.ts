import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The options of a sandbox's `serve.ts`: `--help` prints the usage and exits 0; an unknown option, a missing value
 * or a count that is no whole number says so in one line with the usage and exits 2, never a stack trace.
 */
export function serveArgs<O extends Options>(
  usage: string,
  options: O,
  counts: readonly (keyof O & string)[] = [],
) {
  const fail = (message: string): never => {
    process.stderr.write(`${message}\nusage: ${usage}\n`);
    process.exit(2);
  };
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(`usage: ${usage}\n`);
    process.exit(0);
  }
  let parsed: ReturnType<typeof parseArgs<{ options: O }>>;
  try {
    parsed = parseArgs({ options });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  for (const name of counts) {
    const value = (parsed.values as Record<string, unknown>)[name];
    if (typeof value === 'string' && !/^\d+$/.test(value))
      fail(`--${name} expects a whole number; got "${value}"`);
  }
  return parsed.values;
}
