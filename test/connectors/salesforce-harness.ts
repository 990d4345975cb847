import type { SalesforceConnectorOptions } from '../../connectors/salesforce/index.ts';
import { createSalesforceConnector, type SalesforceConnector } from '../../connectors/salesforce/index.ts';
import {
  type SalesforceSandbox,
  type SalesforceSandboxOptions,
  startSalesforceSandbox,
} from '../../sandboxes/salesforce/index.ts';

/** Fast retries: the sandbox answers on loopback, so waiting long only slows the suite. */
export const FAST_RETRY = { attempts: 8, baseDelayMs: 5, maxDelayMs: 50 } as const;

export interface SalesforceRig {
  readonly sandbox: SalesforceSandbox;
  readonly connector: SalesforceConnector;
  close(): Promise<void>;
}

/** A sandbox on loopback and a connector (real jsforce) pointed at it with an access token. */
export async function startRig(
  sandboxOptions: SalesforceSandboxOptions = {},
  connectorOptions: Partial<SalesforceConnectorOptions> = {},
): Promise<SalesforceRig> {
  const sandbox = await startSalesforceSandbox(sandboxOptions);
  const connector = createSalesforceConnector({
    retry: FAST_RETRY,
    ...connectorOptions,
    connection: {
      instanceUrl: sandbox.url,
      loginUrl: sandbox.url,
      accessToken: sandbox.accessToken,
      apiVersion: '62.0',
      ...connectorOptions.connection,
    },
  });
  return {
    sandbox,
    connector,
    async close() {
      await connector.close();
      await sandbox.close();
    },
  };
}

/** A valid lead numbered `i`. */
export function lead(i: number, email = `lead.${i}@example.com`): Record<string, unknown> {
  return { FirstName: 'Test', LastName: `Lead ${i}`, Company: `Company ${i % 50}`, Email: email };
}

/** Every page of an async iterable, in order. */
export async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}
