import type { SandboxRequest, SandboxResponse } from '../kit/index.ts';

/** What Pipedrive adds to every error body. */
const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

/** v2 times: RFC 3339 to the second (`2025-01-01T10:20:00Z`), which is all the precision Pipedrive keeps. */
export const v2Time = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** v1 times of persons, organizations and deals: `2025-01-01 10:20:00`, UTC. */
export const v1Time = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Lead times: ISO 8601 with milliseconds. */
export const leadTime = (ms: number): string => new Date(ms).toISOString();

/** A time as Pipedrive accepts it in `updated_since` / `since_timestamp`: RFC 3339 or `YYYY-MM-DD HH:MM:SS` (UTC). */
export function parseTime(value: string): number | undefined {
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A successful answer in Pipedrive's envelope. */
export function ok(data: unknown, additional?: Record<string, unknown>, status = 200): SandboxResponse {
  return { status, body: { success: true, data, ...(additional ? { additional_data: additional } : {}) } };
}

/** A failed answer in Pipedrive's envelope: `success: false`, the message in `error`. */
export function fail(status: number, error: string, code?: string): SandboxResponse {
  return {
    status,
    body: {
      success: false,
      error,
      ...(code ? { code } : {}),
      errorCode: status,
      error_info: ERROR_INFO,
      data: null,
      additional_data: null,
    },
  };
}

/** A 400 for a body or query that fails validation, as the v2 API words it. */
export const invalid = (message: string): SandboxResponse =>
  fail(400, `Validation failed: ${message}`, 'ERR_SCHEMA_VALIDATION_FAILED');

/** A 404 for an id the account does not have (or no longer has). */
export const notFound = (what: string): SandboxResponse => fail(404, `${what} not found`);

/** Opaque v2 cursors: the sort key of the next page's first item. */
export function encodeCursor(key: readonly (number | string)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): (number | string)[] | undefined {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(key) ? (key as (number | string)[]) : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON object body, or an empty one. */
export function bodyOf(json: unknown): Record<string, unknown> {
  return typeof json === 'object' && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : {};
}

export const MAX_LIMIT = 500;

/** Reads `limit` as the v2 API does: default 100, at most 500. */
export function limitOf(req: SandboxRequest, fallback = 100): number | string {
  const raw = req.url.searchParams.get('limit');
  if (raw === null) return fallback;
  const limit = Number(raw);
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT
    ? limit
    : `limit: must be an integer between 1 and ${MAX_LIMIT}; got ${raw}`;
}
