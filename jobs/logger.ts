import { type DestinationStream, type Logger, pino } from 'pino';
import type { Scrubber } from './secrets.ts';

export type { Logger };

/**
 * Field names that hold secrets, wherever they appear (top level or one level down). Connection settings are
 * never logged at all; this catches a credential that slips into a logged object anyway.
 */
const REDACT = [
  'accessToken',
  'refreshToken',
  'clientSecret',
  'password',
  'token',
  'authorization',
  'headers.authorization',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.password',
  '*.token',
  '*.authorization',
  '*.headers.authorization',
];

/**
 * JSON lines to stdout (or `destination`), secrets redacted by field name and, through `scrub`, by value in
 * every message. Errors are logged as `{ kind, code, message }` only: a provider error's `cause` may carry the
 * request with its Authorization header.
 */
export function createLogger(options: {
  readonly level?: string;
  readonly destination?: DestinationStream;
  readonly scrub?: Scrubber;
}): Logger {
  const scrub = options.scrub ?? ((text: string) => text);
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'crm-bridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: (error: unknown) => errorFields(error, scrub) },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    options.destination ?? pino.destination(1),
  );
}

/** The parts of an error an operator needs, and nothing that may hold a request or a credential. */
export function errorFields(error: unknown, scrub: Scrubber = (t) => t): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrub(String(error)) };
  const { kind, code } = error as { kind?: unknown; code?: unknown };
  return {
    type: error.name,
    message: scrub(error.message),
    ...(typeof kind === 'string' ? { kind } : {}),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
  };
}
