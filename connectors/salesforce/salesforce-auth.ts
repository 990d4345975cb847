import { readFile } from 'node:fs/promises';
import jsforce, { type Connection } from 'jsforce';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import { signJwtAssertion } from './salesforce-jwt.ts';

/**
 * Connection settings after `env:NAME` resolution (structurally `Resolved<SalesforceConnection>` from the config).
 * Secrets come from the environment only, and never leave the connector.
 */
export interface SalesforceSettings {
  readonly instanceUrl?: string | undefined;
  /** Where OAuth token requests go (default https://login.salesforce.com; a sandbox URL in tests). */
  readonly loginUrl?: string | undefined;
  /** e.g. "62.0". */
  readonly apiVersion?: string | undefined;
  readonly accessToken?: string | undefined;
  readonly refreshToken?: string | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** For the JWT bearer flow: a PEM private key, or the path of a file holding one. */
  readonly privateKeyFile?: string | undefined;
  /** Share of the daily API allocation to leave unused (default 0.1). */
  readonly dailyReserve?: number | undefined;
}

export type AuthMode = 'jwt' | 'password' | 'refresh-token' | 'access-token';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

interface TokenResponse {
  readonly access_token: string;
  readonly instance_url?: string;
}

/** How the connector will get (and renew) its session, from the settings given; the strongest flow wins. */
export function authMode(s: SalesforceSettings): AuthMode {
  if (s.privateKeyFile && s.clientId && s.username) return 'jwt';
  if (s.username && s.password && s.clientId && s.clientSecret) return 'password';
  if (s.refreshToken && s.clientId) return 'refresh-token';
  if (s.accessToken && s.instanceUrl) return 'access-token';
  throw new ConnectorFailure({
    kind: 'auth',
    code: 'NO_CREDENTIALS',
    message:
      'No usable Salesforce credentials: set SALESFORCE_INSTANCE_URL with SALESFORCE_ACCESS_TOKEN, or SALESFORCE_CLIENT_ID with ' +
      'SALESFORCE_REFRESH_TOKEN, SALESFORCE_PRIVATE_KEY_FILE and SALESFORCE_USERNAME (JWT bearer), or ' +
      'SALESFORCE_USERNAME, SALESFORCE_PASSWORD and SALESFORCE_CLIENT_SECRET (username-password).',
  });
}

/** The JWT assertion, signed with the key the setting holds (PEM) or names (a file); failures say which. */
async function assertion(settings: SalesforceSettings, audience: string): Promise<string> {
  const setting = settings.privateKeyFile as string;
  let pem: string;
  try {
    pem = setting.includes('-----BEGIN') ? setting : await readFile(setting, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new ConnectorFailure(
      {
        kind: 'auth',
        code: 'PRIVATE_KEY_UNREADABLE',
        message: `Cannot read the JWT private key file named by SALESFORCE_PRIVATE_KEY_FILE (${code})`,
      },
      { cause: error },
    );
  }
  try {
    return signJwtAssertion(
      { clientId: settings.clientId as string, username: settings.username as string, audience },
      pem,
    );
  } catch (error) {
    throw new ConnectorFailure(
      {
        kind: 'auth',
        code: 'PRIVATE_KEY_INVALID',
        message:
          'The JWT private key (SALESFORCE_PRIVATE_KEY_FILE) is not a usable RSA private key in PEM form',
      },
      { cause: error },
    );
  }
}

/**
 * Opens a jsforce Connection. Every mode that can mint a new token (refresh token, JWT, username-password) is also
 * installed as jsforce's refresh function, so an INVALID_SESSION_ID answer renews the session and the call is
 * repeated transparently.
 */
export async function openConnection(settings: SalesforceSettings): Promise<Connection> {
  const mode = authMode(settings);
  const loginUrl = settings.loginUrl ?? DEFAULT_LOGIN_URL;
  const oauth2 = new jsforce.OAuth2({
    loginUrl,
    ...(settings.clientId ? { clientId: settings.clientId } : {}),
    ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}),
  });
  const grant = async (): Promise<TokenResponse> => {
    switch (mode) {
      case 'jwt': {
        const signed = await assertion(settings, loginUrl);
        return (await oauth2.requestToken({ grant_type: JWT_GRANT, assertion: signed })) as TokenResponse;
      }
      case 'password':
        return (await oauth2.authenticate(
          settings.username as string,
          settings.password as string,
        )) as TokenResponse;
      case 'refresh-token':
        return (await oauth2.refreshToken(settings.refreshToken as string)) as TokenResponse;
      default:
        throw new Error('an access token alone cannot be renewed');
    }
  };
  // A given access token is used first in every mode; only a bare access token cannot be renewed.
  const renewable = mode !== 'access-token';
  let instanceUrl = settings.instanceUrl;
  let accessToken = settings.accessToken;
  if (!accessToken || !instanceUrl) {
    const token = await grant();
    accessToken = token.access_token;
    instanceUrl = token.instance_url ?? instanceUrl;
  }
  return new jsforce.Connection({
    version: settings.apiVersion ?? '62.0',
    loginUrl,
    oauth2,
    ...(instanceUrl ? { instanceUrl } : {}),
    accessToken,
    ...(renewable
      ? {
          refreshFn: (conn: Connection, callback: (error: Error | null, token?: string) => void) => {
            grant().then(
              (token) => {
                if (token.instance_url) conn.instanceUrl = token.instance_url;
                callback(null, token.access_token);
              },
              (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
            );
          },
        }
      : {}),
  });
}
