import type { SandboxRequest, SandboxResponse } from '../../sandbox-kit/index.ts';
import { restError } from './context.ts';
import { convertResponse } from './routes-soap.ts';

/** Injected faults as Salesforce reports them: 503 SERVER_UNAVAILABLE, 429 limits, per-record row locks. */
export function faultResponse(
  fault: 'unavailable' | 'rateLimited' | 'lock',
  request: SandboxRequest,
): SandboxResponse {
  if (fault === 'unavailable') return restError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable');
  if (fault === 'rateLimited') {
    return restError(429, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded');
  }
  const lock = {
    statusCode: 'UNABLE_TO_LOCK_ROW',
    message: 'unable to obtain exclusive access to this record',
    fields: [] as string[],
  };
  if (request.url.pathname.startsWith('/services/Soap/')) {
    const ids = [...request.text.matchAll(/<leadId>([^<]*)<\/leadId>/g)].map((m) => m[1] ?? '');
    return convertResponse(ids.map((leadId) => ({ leadId, success: false, errors: [lock] })));
  }
  if (!request.url.pathname.includes('/composite/sobjects')) {
    return restError(503, 'UNABLE_TO_LOCK_ROW', lock.message);
  }
  const records = (request.json as { records?: unknown[] } | undefined)?.records ?? [];
  return { status: 200, body: records.map(() => ({ success: false, errors: [lock] })) };
}
