import { requireGateKey } from '../../src/connector/call-gate.ts';
import type { ConnectorDescriptor } from '../../src/connector/descriptor.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import { ServerClock } from '../../src/connector/server-clock.ts';
import { HubSpotConnection } from './connection.ts';
import { oauthToken, staticToken, type TokenSource } from './hubspot-auth.ts';
import { type CallStats, createCaller } from './hubspot-call.ts';
import { createHubSpotApi, type HubSpotApi } from './hubspot-client.ts';
import { HubSpotConnector } from './hubspot-connector.ts';
import { HubSpotDescriber } from './hubspot-describe.ts';
import {
  DEFAULT_ASSOCIATIONS,
  DEFAULT_BASE_URL,
  DEFAULT_RETRY,
  type HubSpotConnectorOptions,
  type HubSpotLimits,
  type HubSpotTier,
  TIER_LIMITS,
} from './hubspot-options.ts';
import { RateBudget, type SharedBudget } from './rate-budget.ts';

export type { CallStats } from './hubspot-call.ts';
export type { HubSpotApi, PipelineInfo } from './hubspot-client.ts';
export { HubSpotConnector } from './hubspot-connector.ts';
export {
  DEFAULT_ASSOCIATIONS,
  type HubSpotConnectorOptions,
  type HubSpotLimits,
  type HubSpotTier,
  type RetryPolicy,
  TIER_LIMITS,
} from './hubspot-options.ts';
export { modifiedProperty } from './hubspot-records.ts';

/**
 * A HubSpot connector on the official @hubspot/api-client. Authenticates with a private-app token, or with OAuth
 * (client id, secret, refresh token; refreshed on 401). Each connector has its own budget and retry policy, so
 * several in one process never share the SDK's process-wide retry settings; given a `gate`, its budget also
 * counts the calls other processes make to the same portal.
 */
export function createHubSpotConnector(options: HubSpotConnectorOptions): HubSpotConnector {
  const tier = options.tier ?? 'professional';
  if (!Object.hasOwn(TIER_LIMITS, tier)) {
    throw new ConnectorFailure({
      kind: 'invalid',
      message: `unknown HubSpot tier "${tier}"; expected one of ${Object.keys(TIER_LIMITS).join(', ')}`,
    });
  }
  const limits = { ...TIER_LIMITS[tier as HubSpotTier] };
  for (const [name, value] of Object.entries(options.limits ?? {}))
    if (value !== undefined) limits[name as keyof HubSpotLimits] = value;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const budget = new RateBudget(limits, sharedBudget(options));
  const stats: CallStats = { calls: 0, rateLimited: 0, retried: 0, refreshed: 0 };
  const clock = new ServerClock();
  let token: TokenSource;
  const api: HubSpotApi = createHubSpotApi({
    basePath: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    token: () => token.current(),
    onResponse: (headers) => {
      budget.observe(headers);
      clock.observe(headers.date);
    },
    ...(options.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: options.maxAnswerBytes }),
  });
  const { accessToken, clientId, clientSecret, refreshToken } = options;
  if (clientId && clientSecret && refreshToken) {
    token = oauthToken(() => api, { clientId, clientSecret, refreshToken }, accessToken ?? '');
  } else if (accessToken) {
    token = staticToken(accessToken);
  } else {
    throw new ConnectorFailure({
      kind: 'auth',
      message: 'HubSpot needs an access token, or a client id, client secret and refresh token',
    });
  }
  const call = createCaller(api, budget, token, retry, stats);
  return new HubSpotConnector({
    call,
    describer: new HubSpotDescriber(call),
    budget,
    stats,
    clock,
    associations: options.associations ?? DEFAULT_ASSOCIATIONS,
    push: {
      upsertContactsByEmail: options.upsertContactsByEmail ?? true,
      concurrency: options.pushConcurrency ?? 4,
    },
  });
}

function sharedBudget({ gate, gateKey }: HubSpotConnectorOptions): SharedBudget | undefined {
  if (gate === undefined) return undefined;
  return { gate, key: requireGateKey(gateKey, 'HubSpot', 'portal') };
}

/** HubSpot, as the engine knows it: one contact object per person, converted by advancing its lifecycle stage. */
export const hubspot = {
  system: 'hubspot',
  label: 'HubSpot',
  valueEncoding: 'strings',
  objects: { person: ['contacts', 'leads'], account: ['companies'], opportunity: ['deals'] },
  personKinds: { leads: 'lead' },
  conversion: 'lifecycle',
  batchSize: 100,
  twinIdFix: 'create a single-line text property {field} on {object} that requires unique values',
  connection: HubSpotConnection,
  create: (connection, extras) =>
    createHubSpotConnector({ ...connection, gate: extras?.gate, gateKey: extras?.name }),
} as const satisfies ConnectorDescriptor<HubSpotConnection>;
