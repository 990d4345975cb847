import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector } from '../../connectors/index.ts';
import { installWholeAnswers } from '../../connectors/salesforce/whole-answers.ts';
import { sandboxEnv } from '../../sandboxes/env.ts';
import type { HubSpotSandbox } from '../../sandboxes/hubspot/index.ts';
import {
  EXAMPLE_ORG,
  type SalesforceSandbox,
  SeedGenerator,
  startSalesforceSandbox,
} from '../../sandboxes/salesforce/index.ts';
import { resolveConnection } from '../../src/config/resolve.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { Connector } from '../../src/connector/types.ts';
import { startHubSpot } from '../connectors/hubspot-harness.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';

/** The bound for this test file's process (the first install sets it): a query page of 2,000 Leads is above it. */
const LIMIT = 512 * 1024;
installWholeAnswers(LIMIT);

/** How many records a pull of every page brings, or the pull's failure. */
async function pullAll(connector: Connector, object: string, fields: string[]): Promise<number> {
  let records = 0;
  for await (const page of connector.pull(object, { fields })) records += page.records.length;
  return records;
}

/** The failure a pull of every page ends in, as the three things a user reads of it. */
async function refusal(connector: Connector, object: string, fields: string[]) {
  const failure = await pullAll(connector, object, fields).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ConnectorFailure);
  const { kind, code, message } = failure as ConnectorFailure;
  return { kind, code, message };
}

describe('a Salesforce answer larger than the bound', () => {
  let sf: SalesforceSandbox;
  let connector: Connector;
  beforeAll(async () => {
    sf = await startSalesforceSandbox({ seed: 3, ...EXAMPLE_ORG });
    sf.seed('Lead', new SeedGenerator(3).leads(2000));
    sf.seed('Account', new SeedGenerator(4).accounts(5));
    const config = await exampleConfig();
    const sfConnection = config.connections.sf;
    if (sfConnection === undefined) throw new Error('the example config has no sf connection');
    connector = createConnector(
      resolveConnection(sfConnection, sandboxEnv(sf, { url: 'http://127.0.0.1:9' })),
    );
  });
  afterAll(async () => {
    await connector?.close?.();
    await sf?.close();
  });

  it('is refused with an error naming the bound, once, without a retry', async () => {
    const before = sf.calls('query');
    expect(
      await refusal(connector, 'Lead', ['Id', 'LastName', 'Email', 'Company', 'Title', 'Description']),
    ).toEqual({
      kind: 'invalid',
      code: 'ANSWER_TOO_LARGE',
      message: `Salesforce's answer was larger than ${LIMIT} bytes, the most crm-bridge accepts; it was refused`,
    });
    expect(sf.calls('query') - before).toBe(1);
  });

  it('leaves answers within the bound alone', async () => {
    expect(await pullAll(connector, 'Account', ['Id', 'Name'])).toBe(5);
  });
});

describe('a HubSpot answer larger than the bound', () => {
  let hs: HubSpotSandbox;
  let connector: Connector;
  beforeAll(async () => {
    // A bound per connector (`maxAnswerBytes`): a page of 100 contacts with their properties is above 32 KiB.
    ({ sandbox: hs, connector } = await startHubSpot({}, { maxAnswerBytes: 32 * 1024 }));
    hs.generate({ companies: 5, contacts: 150 });
  });
  afterAll(async () => {
    await connector?.close?.();
    await hs?.close();
  });

  it('is refused with an error naming the bound, once, without a retry', async () => {
    const before = hs.calls();
    expect(
      await refusal(connector, 'contacts', ['email', 'firstname', 'lastname', 'jobtitle', 'phone', 'city']),
    ).toEqual({
      kind: 'invalid',
      code: 'ANSWER_TOO_LARGE',
      message: `HubSpot's answer was larger than ${32 * 1024} bytes, the most crm-bridge accepts; it was refused`,
    });
    expect(hs.calls() - before).toBe(1);
  });

  it('leaves answers within the bound alone', async () => {
    expect(await pullAll(connector, 'companies', ['name'])).toBe(5);
  });
});
