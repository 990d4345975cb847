import type { SandboxRequest, SandboxResponse } from '../kit/index.ts';
import { fail } from './wire.ts';

/** The token of a request: the `x-api-token` header, or the `api_token` query parameter as older clients send it. */
export function tokenOf(request: SandboxRequest): string | undefined {
  const header = request.headers['x-api-token'];
  if (typeof header === 'string' && header !== '') return header;
  return request.url.searchParams.get('api_token') ?? undefined;
}

/** Refuses a request without a known token as Pipedrive does: 401 "unauthorized access". */
export function checkToken(
  request: SandboxRequest,
  tokens: ReadonlySet<string>,
): SandboxResponse | undefined {
  const token = tokenOf(request);
  return token !== undefined && tokens.has(token) ? undefined : fail(401, 'unauthorized access');
}
