import type { Random, SandboxRequest, SandboxResponse } from '../kit/index.ts';
import { restError } from './context.ts';
import { convertResponse } from './routes-soap.ts';

/**
 * Injected faults as Salesforce reports them: 503 SERVER_UNAVAILABLE, 429 limits, per-record row locks. The OAuth
 * token endpoint answers in its own shape, `{ error, error_description }`, with the code its error table gives a
 * passing failure: unknown_error, "retry your request".
 */
export function faultResponse(
  fault: 'unavailable' | 'rateLimited' | 'lock',
  request: SandboxRequest,
): SandboxResponse {
  if (request.url.pathname === '/services/oauth2/token') {
    return {
      status: fault === 'rateLimited' ? 429 : 503,
      body: { error: 'unknown_error', error_description: 'retry your request' },
    };
  }
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

/** Draws, reproducibly, which writes lose their answer after being carried out. */
export class LostAnswers {
  rate = 0;
  count = 0;
  readonly #random: Random;

  constructor(random: Random) {
    this.#random = random;
  }

  draw(): boolean {
    if (this.rate <= 0 || this.#random.next() >= this.rate) return false;
    this.count++;
    return true;
  }
}

/**
 * The answer to a write that was carried out but never arrives: the request is held unanswered until the client
 * gives up (or the sandbox closes), so the client cannot tell whether the write happened. The kit's `cut` fault is
 * the other way to lose it: the answer starts, then the connection closes mid-body.
 */
export function loseAnswer(): Promise<SandboxResponse> {
  return new Promise<SandboxResponse>(() => {});
}
