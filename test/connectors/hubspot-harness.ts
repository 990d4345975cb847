import { createHubSpotConnector, type HubSpotConnectorOptions } from '../../connectors/hubspot/index.ts';
import {
  EXAMPLE_CUSTOM_PROPERTIES,
  HubSpotSandbox,
  type HubSpotSandboxOptions,
  SANDBOX_TOKEN,
} from '../../sandboxes/hubspot/index.ts';

/** Generous limits for tests that are not about rate limiting, on both sides. */
export const FAST = {
  sandbox: { perWindow: 100_000, windowMs: 10_000, searchPerSecond: 1000 },
  connector: { burst: 100_000, windowMs: 10_000, searchPerSecond: 1000, safetyMs: 0 },
} as const;

/**
 * A sandbox and a connector pointed at it. The sandbox is a portal set up for config/example.yaml (it has the
 * example's custom properties) unless `sandboxOptions` say otherwise (`customProperties: {}`: a new portal).
 */
export async function startHubSpot(
  sandboxOptions: HubSpotSandboxOptions = {},
  connectorOptions: Partial<HubSpotConnectorOptions> = {},
) {
  const sandbox = await HubSpotSandbox.start({
    limits: FAST.sandbox,
    customProperties: EXAMPLE_CUSTOM_PROPERTIES,
    ...sandboxOptions,
  });
  const connector = createHubSpotConnector({
    baseUrl: sandbox.url,
    accessToken: SANDBOX_TOKEN,
    tier: 'starter',
    limits: FAST.connector,
    retry: { baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 2000 },
    ...connectorOptions,
  });
  return { sandbox, connector };
}
