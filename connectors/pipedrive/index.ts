import { requireGateKey } from '../../src/connector/call-gate.ts';
import type { ConnectorDescriptor } from '../../src/connector/descriptor.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import { ServerClock } from '../../src/connector/server-clock.ts';
import { PipedriveConnection } from './connection.ts';
import { BurstBudget } from './pipedrive-budget.ts';
import { type CallStats, createCaller } from './pipedrive-call.ts';
import { createPipedriveApi } from './pipedrive-client.ts';
import { PipedriveConnector } from './pipedrive-connector.ts';
import { PipedriveDescriber } from './pipedrive-describe.ts';
import {
  DEFAULT_BASE_URL,
  DEFAULT_RETRY,
  type PipedriveConnectorOptions,
  type PipedrivePlan,
  PLAN_BURST,
} from './pipedrive-options.ts';
import { fetchTransport } from './pipedrive-transport.ts';

export { PipedriveConnection } from './connection.ts';
export type { CallStats } from './pipedrive-call.ts';
export type { PipedriveApi } from './pipedrive-client.ts';
export { PipedriveConnector } from './pipedrive-connector.ts';
export {
  type PipedriveConnectorOptions,
  type PipedriveLimits,
  type PipedrivePlan,
  PLAN_BURST,
  type RetryPolicy,
} from './pipedrive-options.ts';
export * from './standard-fields.ts';

/** The API address: `baseUrl`, else the company domain's, else Pipedrive's shared API host. */
function baseUrlOf(options: PipedriveConnectorOptions): string {
  if (options.baseUrl) return options.baseUrl;
  const domain = options.companyDomain?.trim();
  if (domain) {
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(domain)) {
      throw new ConnectorFailure({
        kind: 'invalid',
        message: `Pipedrive companyDomain "${domain}" is not a subdomain such as "acme" (for acme.pipedrive.com)`,
      });
    }
    return `https://${domain}.pipedrive.com`;
  }
  return DEFAULT_BASE_URL;
}

/**
 * A Pipedrive connector on the official `pipedrive` client's request builders (v2 for persons, organizations,
 * deals and lead conversion; v1 for leads, field definitions and recents), with the account's API token. Its
 * calls are paced by Pipedrive's burst window (the plan's limit until the answers report the account's own), so
 * a push of any size meets no 429; given a `gate`, the window is shared with every process calling the account.
 */
export function createPipedriveConnector(options: PipedriveConnectorOptions): PipedriveConnector {
  const plan = options.plan ?? 'essential';
  if (!Object.hasOwn(PLAN_BURST, plan)) {
    throw new ConnectorFailure({
      kind: 'invalid',
      message: `unknown Pipedrive plan "${plan}"; expected one of ${Object.keys(PLAN_BURST).join(', ')}`,
    });
  }
  if (!options.apiToken) {
    throw new ConnectorFailure({ kind: 'auth', message: 'Pipedrive needs an API token (apiToken)' });
  }
  const limits = {
    burst: PLAN_BURST[plan as PipedrivePlan],
    windowMs: 2000,
    safetyMs: 50,
    ...options.limits,
  };
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const shared =
    options.gate === undefined
      ? undefined
      : { gate: options.gate, key: requireGateKey(options.gateKey, 'Pipedrive', 'company account') };
  const budget = new BurstBudget(limits, shared);
  const stats: CallStats = { calls: 0, rateLimited: 0, retried: 0 };
  const clock = new ServerClock();
  const transport = fetchTransport(retry.timeoutMs, (status, headers) => {
    budget.observe(status, headers);
    clock.observe(headers.date);
  });
  const api = createPipedriveApi(baseUrlOf(options), options.apiToken, transport);
  const call = createCaller(api, budget, retry, stats);
  return new PipedriveConnector({
    call,
    describer: new PipedriveDescriber(call),
    budget,
    stats,
    clock,
    push: { concurrency: options.pushConcurrency ?? 4, searchLagMs: options.searchLagMs ?? 3000 },
    conversionPoll: options.conversionPoll ?? { everyMs: 500, attempts: 20 },
  });
}

/**
 * What crm-bridge knows of Pipedrive. A person is a Pipedrive person, an account an organization, an opportunity a
 * deal; a sales-ready person is converted by giving it a deal: its open lead in the Leads Inbox, converted, or a new
 * one (its lifecycle stage is an ordinary field). A Pipedrive lead (a prospective deal of a person or organization,
 * not a person) is an object of the connector, readable, writable and convertible into a deal by its id, outside
 * the unified entities.
 */
export const pipedrive = {
  system: 'pipedrive',
  label: 'Pipedrive',
  valueEncoding: 'json',
  objects: { person: ['persons'], account: ['organizations'], opportunity: ['deals'] },
  conversion: 'lifecycle',
  batchSize: 100,
  twinIdFix: 'create a text custom field named {field} on {object} (Company settings → Data fields)',
  connection: PipedriveConnection,
  create: (connection, extras?) =>
    createPipedriveConnector({ ...connection, gate: extras?.gate, gateKey: extras?.name }),
} as const satisfies ConnectorDescriptor<PipedriveConnection>;
