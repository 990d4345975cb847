import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { HubSpotApi } from './hubspot-client.ts';
import { fromCallError } from './hubspot-errors.ts';

/** Where the bearer token comes from: a private-app token, or OAuth with a refresh token. */
export interface TokenSource {
  /** The token to send now ('' until an OAuth token was fetched). */
  current(): string;
  /** Whether a 401 can be cured by refreshing. */
  readonly refreshable: boolean;
  /** True when there is no token yet, or it expires within a minute. */
  stale(): boolean;
  /** Gets a new access token; concurrent callers share one refresh. */
  refresh(): Promise<void>;
}

export function staticToken(token: string): TokenSource {
  return {
    current: () => token,
    refreshable: false,
    stale: () => false,
    refresh: () =>
      Promise.reject(new ConnectorFailure({ kind: 'auth', message: 'HubSpot refused the access token' })),
  };
}

/** OAuth: refreshes with the client id/secret and refresh token, on 401 and before the first call when needed. */
export function oauthToken(
  api: () => HubSpotApi,
  credentials: { readonly clientId: string; readonly clientSecret: string; readonly refreshToken: string },
  initial = '',
): TokenSource {
  let token = initial;
  let expiresAt = Number.POSITIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  return {
    current: () => token,
    refreshable: true,
    stale: () => token === '' || Date.now() > expiresAt - 60_000,
    refresh: () => {
      inFlight ??= api()
        .refresh(credentials.clientId, credentials.clientSecret, credentials.refreshToken)
        .then(
          (r) => {
            token = r.accessToken;
            expiresAt = Date.now() + r.expiresIn * 1000;
          },
          (error: unknown) => {
            // Neither the token endpoint's answer nor these messages contain the secrets.
            const failure = fromCallError(error) ?? { kind: 'unavailable', message: String(error) };
            if (failure.kind === 'unavailable' || failure.kind === 'rate-limited') {
              throw new ConnectorFailure(
                { ...failure, message: `HubSpot's token endpoint failed: ${failure.message}` },
                { cause: error },
              );
            }
            throw new ConnectorFailure(
              {
                kind: 'auth',
                message: 'HubSpot refused the OAuth refresh (check the client id, secret and refresh token)',
                code: 'BAD_REFRESH_TOKEN',
              },
              { cause: error },
            );
          },
        )
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
  };
}
