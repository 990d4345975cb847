/**
 * The closed set of failures a connector reports, whatever the provider called them. The queue layer maps them to
 * behaviour in one place: `invalid`/`auth` fail at once, `rate-limited` waits `retryAfterMs`, `unavailable` retries
 * with backoff, `conflict`/`not-found` are per-record outcomes for the engine to resolve.
 */
export const ERROR_KINDS = [
  'auth',
  'not-found',
  'invalid',
  'conflict',
  'rate-limited',
  'unavailable',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** A per-record or per-call failure as plain data. */
export interface ConnectorError {
  readonly kind: ErrorKind;
  /** A message an admin can act on; never contains credentials. */
  readonly message: string;
  /** The provider's own code, e.g. `REQUIRED_FIELD_MISSING`, `CONTACT_EXISTS`, `RATE_LIMIT`. */
  readonly code?: string;
  /** The external fields the provider blamed. */
  readonly fields?: readonly string[];
  /** For `rate-limited`: how long the provider asked to wait. */
  readonly retryAfterMs?: number;
}

/** Thrown when a whole call fails (auth refused, API down, limit reached); per-record failures are values instead. */
export class ConnectorFailure extends Error implements ConnectorError {
  override readonly name = 'ConnectorFailure';
  readonly kind: ErrorKind;
  readonly code?: string;
  readonly fields?: readonly string[];
  readonly retryAfterMs?: number;

  constructor(error: ConnectorError, options?: { cause?: unknown }) {
    super(error.message, options);
    this.kind = error.kind;
    if (error.code !== undefined) this.code = error.code;
    if (error.fields !== undefined) this.fields = error.fields;
    if (error.retryAfterMs !== undefined) this.retryAfterMs = error.retryAfterMs;
  }

  /** Whether trying the same call again later can succeed. */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'unavailable';
  }
}
