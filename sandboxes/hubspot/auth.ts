import type { SandboxRequest, SandboxResponse } from '../kit/index.ts';
import { errorResponse } from './errors.ts';

/** The credentials the sandbox accepts: private-app tokens and one OAuth app. */
export interface SandboxCredentials {
  /** Access tokens accepted from the start (private-app tokens). */
  readonly accessTokens?: readonly string[];
  /** The OAuth app's id. */
  readonly clientId?: string;
  /** The OAuth app's secret. */
  readonly clientSecret?: string;
  /** The refresh token the token endpoint accepts. */
  readonly refreshToken?: string;
}

/** Bearer-token checks and the OAuth refresh grant, with tokens that tests can expire. */
export class SandboxAuth {
  readonly #valid = new Set<string>();
  readonly #expired = new Set<string>();
  readonly #credentials: SandboxCredentials;
  #issued = 0;
  /** Successful refresh grants served. */
  refreshes = 0;

  constructor(credentials: SandboxCredentials) {
    this.#credentials = credentials;
    for (const token of credentials.accessTokens ?? []) this.#valid.add(token);
  }

  /** Makes every token issued so far answer 401 as an expired OAuth token does. */
  expireAll(): void {
    for (const token of this.#valid) this.#expired.add(token);
    this.#valid.clear();
  }

  /** A 401 in HubSpot's shape, or undefined when the bearer token is good. */
  check(request: SandboxRequest): SandboxResponse | undefined {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (this.#valid.has(token)) return undefined;
    if (this.#expired.has(token)) {
      return errorResponse(
        401,
        'EXPIRED_AUTHENTICATION',
        'The OAuth token used to make this call expired 1 second(s) ago.',
      );
    }
    return errorResponse(
      401,
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    );
  }

  /** `POST /oauth/v1/token` with `grant_type=refresh_token`. */
  token(request: SandboxRequest): SandboxResponse {
    const form = new URLSearchParams(request.text);
    const c = this.#credentials;
    const good =
      form.get('grant_type') === 'refresh_token' &&
      c.refreshToken !== undefined &&
      form.get('refresh_token') === c.refreshToken &&
      form.get('client_id') === c.clientId &&
      form.get('client_secret') === c.clientSecret;
    if (!good) {
      return {
        status: 400,
        body: { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' },
      };
    }
    this.refreshes++;
    const accessToken = `sandbox-oauth-${++this.#issued}`;
    this.#valid.add(accessToken);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        refresh_token: c.refreshToken,
        expires_in: 1800,
        token_type: 'bearer',
      },
    };
  }
}
