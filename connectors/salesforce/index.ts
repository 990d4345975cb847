import { type CallGate, requireGateKey } from '../../src/connector/call-gate.ts';
import type { ConnectorDescriptor } from '../../src/connector/descriptor.ts';
import { SalesforceConnection } from './connection.ts';
import { jsforceClient } from './jsforce-client.ts';
import { openConnection, type SalesforceSettings } from './salesforce-auth.ts';
import type { SalesforceClient } from './salesforce-client.ts';
import { SalesforceConnector } from './salesforce-connector.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './salesforce-retry.ts';
import { Session, type SharedAllocation } from './salesforce-session.ts';
import { installWholeAnswers } from './whole-answers.ts';

export interface SalesforceConnectorOptions {
  /** Resolved connection settings (see `resolveConnection`); they hold secrets and stay inside the connector. */
  readonly connection: SalesforceSettings;
  /** Preferred query page size, 200..2,000 (default 2,000); Salesforce may return fewer. */
  readonly pageSize?: number;
  /** Above this many matching rows a pull continues through Bulk API 2.0 (default 50,000). */
  readonly bulkThreshold?: number;
  /** Rows per Bulk API 2.0 result page (default 10,000). */
  readonly bulkPageSize?: number;
  /** How long to wait for a Bulk API 2.0 query job, in ms (default 10 minutes). */
  readonly bulkTimeoutMs?: number;
  /** First delay between Bulk API 2.0 job status polls, in ms (default 1 s). */
  readonly bulkPollMs?: number;
  /** Abandon (and retry) a call that has not answered after this many ms (default 2 minutes). */
  readonly requestTimeoutMs?: number;
  /**
   * While the daily reserve is reached, read the limits resource again at most this often to learn that calls were
   * freed, in ms (default 5 minutes).
   */
  readonly reserveRecheckMs?: number;
  /** Retry policy for transient failures (503, row locks, resets, timeouts, 429). */
  readonly retry?: Partial<RetryPolicy>;
  /** A client to use instead of a jsforce Connection built from `connection` (e.g. a small fake). */
  readonly client?: SalesforceClient;
  /** Shares the daily allocation's readings with every process calling the same org (the workers' Redis). */
  readonly gate?: CallGate | undefined;
  /** Names the org in `gate` (the connection's name); required with it, and never a secret. */
  readonly gateKey?: string | undefined;
}

/** The Salesforce connector: jsforce against the org (or the sandbox) that `connection` names. */
export function createSalesforceConnector(options: SalesforceConnectorOptions): SalesforceConnector {
  installWholeAnswers();
  const settings = options.connection;
  let token: string | undefined;
  const session = new Session({
    connect: async () => {
      if (options.client) return options.client;
      const conn = await openConnection(settings);
      token = conn.accessToken ?? undefined;
      conn.on('refresh', (fresh: string) => {
        token = fresh;
      });
      return jsforceClient(conn);
    },
    secrets: () => [
      settings.accessToken,
      settings.refreshToken,
      settings.clientSecret,
      settings.password,
      settings.privateKeyFile,
      token,
    ],
    dailyReserve: settings.dailyReserve ?? 0.1,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
    shared: sharedAllocation(options),
    reserveRecheckMs: options.reserveRecheckMs ?? 300_000,
  });
  return new SalesforceConnector(session, {
    pageSize: options.pageSize ?? 2000,
    bulkThreshold: options.bulkThreshold ?? 50_000,
    bulk: {
      pageSize: options.bulkPageSize ?? 10_000,
      timeoutMs: options.bulkTimeoutMs ?? 600_000,
      pollMs: options.bulkPollMs ?? 1000,
    },
  });
}

function sharedAllocation({ gate, gateKey }: SalesforceConnectorOptions): SharedAllocation | undefined {
  if (gate === undefined) return undefined;
  return { gate, name: `salesforce:${requireGateKey(gateKey, 'Salesforce', 'org')}:daily` };
}

export { type AuthMode, authMode, type SalesforceSettings } from './salesforce-auth.ts';
export type { SalesforceClient } from './salesforce-client.ts';
export { SalesforceConnector } from './salesforce-connector.ts';
export { signJwtAssertion } from './salesforce-jwt.ts';
export { afterCursor, soqlString } from './salesforce-query.ts';
export type { RetryPolicy } from './salesforce-retry.ts';

/** Salesforce, as the engine knows it: people split into Leads and Contacts, converted by `convertLead`. */
export const salesforce = {
  system: 'salesforce',
  label: 'Salesforce',
  valueEncoding: 'json',
  objects: { person: ['Lead', 'Contact'], account: ['Account'], opportunity: ['Opportunity'] },
  personSplit: { lead: 'Lead', contact: 'Contact' },
  personKinds: { Lead: 'lead', Contact: 'contact' },
  conversion: 'convertLead',
  batchSize: 200,
  twinIdFix:
    'create a Text(32) field {field} on {object}, marked External ID and Unique, visible to the API user',
  connection: SalesforceConnection,
  create: (connection, extras) =>
    createSalesforceConnector({ connection, gate: extras?.gate, gateKey: extras?.name }),
} as const satisfies ConnectorDescriptor<SalesforceConnection>;
