import { SANDBOX_TOKEN } from './hubspot/index.ts';
import { DEFAULT_CREDENTIALS } from './salesforce/index.ts';

/**
 * The environment the `env:NAME` settings of config/example.yaml resolve from, pointed at a Salesforce and a
 * HubSpot sandbox with their default credentials (a refresh-token login, a private-app token).
 */
export function sandboxEnv(
  sf: { readonly url: string },
  hs: { readonly url: string },
): Record<string, string> {
  return {
    SALESFORCE_INSTANCE_URL: sf.url,
    SALESFORCE_LOGIN_URL: sf.url,
    SALESFORCE_CLIENT_ID: DEFAULT_CREDENTIALS.clientId,
    SALESFORCE_CLIENT_SECRET: DEFAULT_CREDENTIALS.clientSecret,
    SALESFORCE_REFRESH_TOKEN: DEFAULT_CREDENTIALS.refreshToken,
    HUBSPOT_BASE_URL: hs.url,
    HUBSPOT_ACCESS_TOKEN: SANDBOX_TOKEN,
  };
}
