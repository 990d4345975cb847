import { AnswerTooLarge } from '../../src/connector/answer-limit.ts';
import type { ConnectorError, ErrorKind } from '../../src/connector/errors.ts';
import type { HubSpotBatchError } from './hubspot-client.ts';

/** The parts of the SDK's `ApiException` read here. */
interface ApiExceptionLike {
  readonly code: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const isApiException = (e: unknown): e is ApiExceptionLike =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number' && 'body' in e;

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body === 'string') {
    try {
      return bodyObject(JSON.parse(body));
    } catch {
      return { message: body.slice(0, 200) };
    }
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

function kindOfStatus(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'unavailable';
  return 'invalid';
}

/** HubSpot names the policy in `policyName`; the SDK drops that field, so the message is read too. */
function ratePolicy(body: Record<string, unknown>): string {
  const named = typeof body.policyName === 'string' ? body.policyName : '';
  const message = String(body.message ?? '').toLowerCase();
  if (named === 'DAILY' || message.includes('daily')) return 'DAILY';
  if (named === 'TEN_SECONDLY_ROLLING' || message.includes('ten_secondly')) return 'TEN_SECONDLY_ROLLING';
  if (named === 'SECONDLY' || message.includes('secondly')) return 'SECONDLY';
  return named || 'RATE_LIMIT';
}

/**
 * How long a 429 asks to wait: `Retry-After`, else a second for the per-second search limit, else the window in
 * the interval header (not for the daily limit, which that window does not describe); undefined when the answer
 * names none, and the caller goes by what its budget knows.
 */
function retryAfter(policy: string, headers: Readonly<Record<string, string>>): number | undefined {
  const seconds = Number(headers['retry-after']);
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  if (policy === 'SECONDLY') return 1000;
  if (policy === 'DAILY') return undefined;
  const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
  return Number.isFinite(interval) && interval > 0 ? interval : undefined;
}

/** The SDK's own errors for a body it cannot parse (an HTML error page from a proxy, say). */
const BAD_ANSWER = /Content-Type|not supported by ObjectSerializer|Unexpected token|JSON/;
const NETWORK =
  /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR|socket|fetch failed|other side closed|timed out/i;

/**
 * Translates a failed call (an SDK `ApiException`, a network error, a timeout, an answer the SDK could not parse)
 * into the closed error set; undefined for anything else, which is a bug to surface rather than to retry.
 */
export function fromCallError(error: unknown): ConnectorError | undefined {
  if (isApiException(error)) {
    const body = bodyObject(error.body);
    const headers = error.headers ?? {};
    const category = typeof body.category === 'string' ? body.category : undefined;
    const kind = kindOfStatus(error.code);
    const text = typeof body.message === 'string' ? body.message : 'no message';
    const message = `HubSpot answered ${error.code}${category ? ` ${category}` : ''}: ${text}`;
    if (kind === 'rate-limited') {
      const policy = ratePolicy(body);
      const wait = retryAfter(policy, headers);
      return { kind, message, code: policy, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    }
    const fields = propertyNames(body);
    return {
      kind,
      message,
      ...(category ? { code: category } : {}),
      ...(fields.length > 0 ? { fields } : {}),
    };
  }
  if (error instanceof AnswerTooLarge || (error instanceof Error && error.cause instanceof AnswerTooLarge)) {
    // Not a network fault to retry: the same call would bring the same answer.
    const tooLarge = error instanceof AnswerTooLarge ? error : (error.cause as AnswerTooLarge);
    return { kind: 'invalid', code: 'ANSWER_TOO_LARGE', message: tooLarge.message };
  }
  const text = describe(error);
  if (NETWORK.test(text))
    return { kind: 'unavailable', message: `HubSpot could not be reached: ${text}`, code: 'NETWORK' };
  if (BAD_ANSWER.test(text)) {
    return {
      kind: 'unavailable',
      message: `HubSpot sent an answer that could not be read: ${text}`,
      code: 'BAD_RESPONSE',
    };
  }
  return undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // A connection cut mid-answer ends the call with Node's "aborted" (code ECONNRESET) on the error itself.
  const code = (error as NodeJS.ErrnoException).code;
  const own = typeof code === 'string' && !error.message.includes(code) ? ` (${code})` : '';
  const cause =
    error.cause instanceof Error
      ? ` (${(error.cause as NodeJS.ErrnoException).code ?? error.cause.message})`
      : '';
  return `${error.message}${own}${cause}`;
}

/** Property names HubSpot blamed, from `errors[].in` or the "Property values were not valid" JSON. */
function propertyNames(body: Record<string, unknown>): string[] {
  const errors = Array.isArray(body.errors) ? (body.errors as { in?: unknown; _in?: unknown }[]) : [];
  const named = errors.map((e) => e._in ?? e.in).filter((n): n is string => typeof n === 'string');
  if (named.length > 0) return named;
  const match = /Property values were not valid: (\[.*\])/s.exec(String(body.message ?? ''));
  if (!match?.[1]) return [];
  try {
    return (JSON.parse(match[1]) as { name?: unknown }[])
      .map((p) => p.name)
      .filter((n): n is string => typeof n === 'string');
  } catch {
    return [];
  }
}

const CATEGORY_KINDS: Readonly<Record<string, ErrorKind>> = {
  VALIDATION_ERROR: 'invalid',
  CONFLICT: 'conflict',
  OBJECT_NOT_FOUND: 'not-found',
  RATE_LIMITS: 'rate-limited',
  INVALID_AUTHENTICATION: 'auth',
  MISSING_SCOPES: 'auth',
};

/** One entry of a 207's `errors[]` as a per-record error, keeping HubSpot's category and code. */
export function fromBatchError(error: HubSpotBatchError): ConnectorError {
  const category = error.category ?? 'UNKNOWN';
  const kind =
    CATEGORY_KINDS[category] ?? (/already exists/i.test(error.message ?? '') ? 'conflict' : 'invalid');
  const details = error.errors ?? [];
  const code = details.find((d) => d.code)?.code ?? category;
  const fields = propertyNames({ errors: details, message: error.message });
  const detail = details.find((d) => d.message)?.message;
  const message = `HubSpot refused the record (${category}): ${detail ?? error.message ?? 'no message'}`;
  return { kind, message, code, ...(fields.length > 0 ? { fields } : {}) };
}
