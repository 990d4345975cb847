import type { ConnectorError, ErrorKind } from '../../src/connector/errors.ts';
import { PipedriveHttpError, PipedriveTimeout } from './pipedrive-transport.ts';

function kindOfStatus(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'unavailable';
  return 'invalid';
}

/** Pipedrive's message: `error` (v1 and v2), else `message`; a proxy's text page cut short. */
function messageOf(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 200);
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = typeof b.error === 'string' ? b.error : typeof b.message === 'string' ? b.message : '';
  return text.slice(0, 500);
}

/** The fields a validation message blames: `Validation failed: name: Parameter is required` → `name`. */
function blamed(message: string): string[] | undefined {
  const match = /^(?:Validation failed: )?([a-z_][a-z0-9_]*|[0-9a-f]{40})(?:\[\d+\](?:\.\w+)?)?: /.exec(
    message,
  );
  if (!match?.[1]) return undefined;
  return [match[1] === 'emails' ? 'email' : match[1] === 'phones' ? 'phone' : match[1]];
}

/** `x-ratelimit-reset` (seconds until the burst window has room), else `retry-after`, in ms. */
export function resetMs(headers: Readonly<Record<string, string>>): number | undefined {
  for (const name of ['x-ratelimit-reset', 'retry-after']) {
    const seconds = Number(headers[name]);
    if (headers[name] !== undefined && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  }
  return undefined;
}

/**
 * A failed call as one of the closed set of errors, or undefined for a bug (which the caller rethrows). The message
 * names the status and Pipedrive's own words, never the request: its URL or headers could carry the token.
 */
export function fromCallError(error: unknown): ConnectorError | undefined {
  if (error instanceof PipedriveHttpError) {
    const kind = kindOfStatus(error.status);
    const said = messageOf(error.body);
    const code = (error.body as { code?: unknown } | undefined)?.code;
    if (kind === 'auth') {
      return {
        kind,
        message: `Pipedrive refused the API token (${error.status}${said ? ` ${said}` : ''}): check the connection's apiToken`,
        code: String(error.status),
      };
    }
    const fields = kind === 'invalid' ? blamed(said) : undefined;
    const wait = kind === 'rate-limited' ? resetMs(error.headers) : undefined;
    return {
      kind,
      message: `Pipedrive answered ${error.status}${said ? `: ${said}` : ''}`,
      code: typeof code === 'string' ? code : String(error.status),
      ...(fields ? { fields } : {}),
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    };
  }
  if (error instanceof PipedriveTimeout) {
    return { kind: 'unavailable', message: `Pipedrive did not answer: ${error.message}`, code: 'TIMEOUT' };
  }
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (error instanceof TypeError && (error.message === 'fetch failed' || typeof cause === 'string')) {
    return {
      kind: 'unavailable',
      message: `Pipedrive could not be reached (${typeof cause === 'string' ? cause : error.message})`,
      code: typeof cause === 'string' ? cause : 'NETWORK',
    };
  }
  return undefined;
}
