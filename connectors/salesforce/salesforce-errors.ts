import { AnswerTooLarge } from '../../src/connector/answer-limit.ts';
import { type ConnectorError, ConnectorFailure, type ErrorKind } from '../../src/connector/errors.ts';
import type { ProviderRecordError } from './salesforce-client.ts';

/** Salesforce's error codes (REST `errorCode`, collection and SOAP `statusCode`, OAuth `error`) → the closed set. */
const KINDS: Readonly<Record<string, ErrorKind>> = {
  INVALID_SESSION_ID: 'auth',
  INVALID_AUTH_HEADER: 'auth',
  INSUFFICIENT_ACCESS: 'auth',
  INSUFFICIENT_ACCESS_OR_READONLY: 'auth',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'auth',
  API_DISABLED_FOR_ORG: 'auth',
  invalid_grant: 'auth',
  invalid_client: 'auth',
  invalid_client_id: 'auth',
  unsupported_grant_type: 'auth',
  NOT_FOUND: 'not-found',
  ENTITY_IS_DELETED: 'not-found',
  INVALID_CROSS_REFERENCE_KEY: 'not-found',
  INVALID_ID_FIELD: 'not-found',
  DUPLICATES_DETECTED: 'conflict',
  DUPLICATE_VALUE: 'conflict',
  DUPLICATE_EXTERNAL_ID: 'conflict',
  CANNOT_UPDATE_CONVERTED_LEAD: 'conflict',
  ENTITY_IS_LOCKED: 'conflict',
  REQUEST_LIMIT_EXCEEDED: 'rate-limited',
  ERROR_HTTP_429: 'rate-limited',
  ERROR_HTTP_420: 'rate-limited',
  // The OAuth token endpoint's passing failure ("retry your request").
  unknown_error: 'unavailable',
  SERVER_UNAVAILABLE: 'unavailable',
  UNABLE_TO_LOCK_ROW: 'unavailable',
  QUERY_TIMEOUT: 'unavailable',
  ERROR_HTTP_500: 'unavailable',
  ERROR_HTTP_502: 'unavailable',
  ERROR_HTTP_503: 'unavailable',
  ERROR_HTTP_504: 'unavailable',
};

/** Socket-level failures: the request may or may not have reached Salesforce. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export function kindOf(code: string | undefined): ErrorKind {
  return (code !== undefined ? KINDS[code] : undefined) ?? 'invalid';
}

/** Removes credentials from a message: the given secrets, and any bearer token or session id. */
export function redact(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out
    .replace(/Bearer\s+[^\s"',]+/gi, 'Bearer [redacted]')
    .replace(/<sessionId>[^<]*<\/sessionId>/gi, '<sessionId>[redacted]</sessionId>')
    .replace(/00D\w{12,15}![\w.-]+/g, '[redacted]');
}

/** A per-record error from a collection or convertLead result, as a value. */
export function recordError(
  error: ProviderRecordError,
  secrets: readonly (string | undefined)[],
): ConnectorError {
  const code = error.statusCode ?? error.errorCode;
  const fields = error.fields && error.fields.length > 0 ? { fields: [...error.fields] } : {};
  return {
    kind: kindOf(code),
    message: redact(error.message, secrets),
    ...(code !== undefined ? { code } : {}),
    ...fields,
  };
}

/** The first error of a class in a thrown error's cause chain (fetch wraps the reason a request was aborted). */
function causeOf<E extends Error>(error: unknown, kind: new (...args: never[]) => E): E | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    if (e instanceof kind) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The socket error code behind a thrown error (undici wraps it in `cause`), if it is one. */
export function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  const message = error instanceof Error ? error.message : '';
  if (/socket hang up|other side closed|fetch failed|terminated/i.test(message)) return 'ECONNRESET';
  return undefined;
}

/**
 * Translates whatever jsforce threw (HttpApiError, an OAuth error, a refresh failure, a socket error) into a
 * ConnectorFailure of the closed set, keeping Salesforce's code and the original as `cause`, never a secret.
 */
export function toFailure(error: unknown, secrets: readonly (string | undefined)[]): ConnectorFailure {
  if (error instanceof ConnectorFailure) return error;
  const tooLarge = causeOf(error, AnswerTooLarge);
  if (tooLarge !== undefined) {
    // Not a network fault to retry: the same call would bring the same answer.
    return new ConnectorFailure(
      { kind: 'invalid', code: 'ANSWER_TOO_LARGE', message: tooLarge.message },
      { cause: error },
    );
  }
  const network = networkCode(error);
  if (network !== undefined) {
    return new ConnectorFailure(
      { kind: 'unavailable', code: network, message: `Salesforce did not answer (${network})` },
      { cause: error },
    );
  }
  const e = error as { errorCode?: unknown; name?: unknown; message?: unknown; data?: { fields?: unknown } };
  const raw = typeof e?.message === 'string' ? e.message : String(error);
  const code =
    typeof e?.errorCode === 'string' ? e.errorCode : typeof e?.name === 'string' ? e.name : undefined;
  let kind = kindOf(code);
  if (/^Unable to refresh session/.test(raw)) kind = 'auth';
  else if (code === 'MULTIPLE_API_ERRORS' || code === 'Error' || code === 'TypeError') kind = 'invalid';
  const fields = Array.isArray(e?.data?.fields) ? { fields: e.data.fields.map(String) } : {};
  const message = `Salesforce refused the call: ${redact(raw, secrets)}`;
  const known = code !== undefined && code !== 'Error' && code !== 'TypeError' ? { code } : {};
  return new ConnectorFailure({ kind, message, ...known, ...fields }, { cause: error });
}

/** Whether a failed call may have been carried out anyway (the answer was lost), so a blind retry may repeat it. */
export function isAmbiguous(failure: ConnectorFailure): boolean {
  return failure.code !== undefined && NETWORK_CODES.has(failure.code) && failure.code !== 'ECONNREFUSED';
}
