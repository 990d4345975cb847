import { createPublicKey, createVerify, type KeyObject, randomBytes } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../kit/index.ts';

/** The credentials the sandbox org accepts. */
export interface SandboxCredentials {
  /** The connected app's consumer key (also the JWT issuer). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The one refresh token the org honours. */
  readonly refreshToken: string;
  /** The user for the password grant (and the JWT subject). */
  readonly username: string;
  readonly password: string;
  /** PEM public key for the JWT bearer flow; without it, JWT assertions are refused. */
  readonly jwtPublicKey?: string;
}

export const DEFAULT_CREDENTIALS: SandboxCredentials = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  refreshToken: 'sandbox-refresh-token',
  username: 'admin@sandbox.example.com',
  password: 'sandbox-password',
};

export const ORG_ID = '00D000000000001EAA';
/** The API user's id: every token the sandbox issues is this user's. */
export const USER_ID = '005000000000001AAA';
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Access tokens the sandbox has issued; an expired token answers INVALID_SESSION_ID. */
export class TokenBook {
  readonly #valid = new Set<string>();
  readonly #credentials: SandboxCredentials;
  readonly #publicKey: KeyObject | undefined;
  /** Token grants served, by grant type. */
  readonly grants = new Map<string, number>();

  constructor(credentials: SandboxCredentials) {
    this.#credentials = credentials;
    this.#publicKey = credentials.jwtPublicKey ? createPublicKey(credentials.jwtPublicKey) : undefined;
  }

  /** Issues a new access token in Salesforce's `<org id>!<opaque>` shape (deliberately not JWT-shaped). */
  issue(): string {
    const token = `${ORG_ID.slice(0, 15)}!${randomBytes(24).toString('base64url')}`;
    this.#valid.add(token);
    return token;
  }

  isValid(token: string | undefined): boolean {
    return token !== undefined && this.#valid.has(token);
  }

  /** Invalidates every issued token, as a session timeout or a revoked session does. */
  expireAll(): void {
    this.#valid.clear();
  }

  /** The OAuth token endpoint: refresh_token, password and JWT bearer grants. */
  handleToken(request: SandboxRequest, instanceUrl: string): SandboxResponse {
    const form = new URLSearchParams(request.text);
    const grant = form.get('grant_type') ?? '';
    this.grants.set(grant, (this.grants.get(grant) ?? 0) + 1);
    const c = this.#credentials;
    const refused = (description: string, error = 'invalid_grant'): SandboxResponse => ({
      status: 400,
      body: { error, error_description: description },
    });
    if (grant === 'refresh_token') {
      if (form.get('client_id') !== c.clientId)
        return refused('invalid client credentials', 'invalid_client');
      if (form.has('client_secret') && form.get('client_secret') !== c.clientSecret) {
        return refused('invalid client credentials', 'invalid_client');
      }
      if (form.get('refresh_token') !== c.refreshToken) return refused('expired access/refresh token');
    } else if (grant === 'password') {
      if (form.get('client_id') !== c.clientId || form.get('client_secret') !== c.clientSecret) {
        return refused('invalid client credentials', 'invalid_client');
      }
      if (form.get('username') !== c.username || form.get('password') !== c.password) {
        return refused('authentication failure');
      }
    } else if (grant === JWT_GRANT) {
      const problem = this.#checkAssertion(form.get('assertion') ?? '');
      if (problem) return refused(problem);
    } else {
      return refused(`grant type not supported: ${grant}`, 'unsupported_grant_type');
    }
    return {
      status: 200,
      body: {
        access_token: this.issue(),
        instance_url: instanceUrl,
        id: `${instanceUrl}/id/${ORG_ID}/${USER_ID}`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        scope: 'api refresh_token',
      },
    };
  }

  /** Why a JWT bearer assertion is refused, or undefined when it is good. */
  #checkAssertion(assertion: string): string | undefined {
    const parts = assertion.split('.');
    if (parts.length !== 3 || !this.#publicKey) return 'invalid assertion';
    const [header, payload, signature] = parts as [string, string, string];
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(this.#publicKey, Buffer.from(signature, 'base64url'))) return 'invalid assertion';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (claims.iss !== this.#credentials.clientId) return 'invalid client id';
    if (claims.sub !== this.#credentials.username) return 'user hasn’t approved this consumer';
    if (typeof claims.aud !== 'string' || claims.aud === '') return 'audience is invalid';
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return 'expired authorization code';
    return undefined;
  }
}

/** The bearer token of a REST request, or the session id of a SOAP envelope. */
export function presentedToken(request: SandboxRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice('Bearer '.length);
  const session = /<sessionId>([^<]*)<\/sessionId>/.exec(request.text);
  return session?.[1]?.replace(/&amp;/g, '&');
}
