import { sign } from 'node:crypto';

export interface JwtClaims {
  /** The connected app's consumer key. */
  readonly clientId: string;
  /** The Salesforce user the connector acts as (pre-authorised for the connected app). */
  readonly username: string;
  /** The login URL: https://login.salesforce.com, https://test.salesforce.com or a My Domain URL. */
  readonly audience: string;
  /** Lifetime of the assertion in seconds (Salesforce accepts at most 3 minutes). */
  readonly lifetimeSeconds?: number;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Signs a JWT bearer assertion with RS256 (node:crypto; no JWT library needed for one algorithm). */
export function signJwtAssertion(claims: JwtClaims, privateKeyPem: string, now = Date.now()): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: claims.clientId,
      sub: claims.username,
      aud: claims.audience,
      exp: Math.floor(now / 1000) + (claims.lifetimeSeconds ?? 180),
    }),
  );
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKeyPem);
  return `${header}.${payload}.${base64url(signature)}`;
}
