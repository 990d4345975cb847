import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubSpotConnector } from '../../connectors/hubspot/index.ts';
import { createPipedriveConnector } from '../../connectors/pipedrive/index.ts';
import { createSalesforceConnector } from '../../connectors/salesforce/index.ts';
import { HubSpotSandbox, SANDBOX_TOKEN } from '../../sandboxes/hubspot/index.ts';
import { PIPEDRIVE_SANDBOX_TOKEN, PipedriveSandbox } from '../../sandboxes/pipedrive/index.ts';
import { startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import type { Connector, Cursor, Page } from '../../src/connector/types.ts';
import { FAST as HUBSPOT } from './hubspot-harness.ts';
import { FAST as PIPEDRIVE } from './pipedrive-harness.ts';
import { FAST_RETRY } from './salesforce-harness.ts';

const HOUR = 3_600_000;

/**
 * A proxy in front of a sandbox whose answers carry a `Date` an hour ahead of this machine's clock (a CRM whose clock
 * is off ours), or no `Date` at all.
 */
async function dateProxy(target: string, date: 'ahead' | 'none') {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        const headers = { ...answer.headers };
        delete headers.date;
        if (date === 'ahead') headers.date = new Date(Date.now() + HOUR).toUTCString();
        else res.sendDate = false;
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Rig {
  readonly connector: Connector;
  readonly object: string;
  close(): Promise<void>;
}

/** Each connector behind the proxy, its sandbox holding three people. */
const rigs: Record<string, (date: 'ahead' | 'none') => Promise<Rig>> = {
  async salesforce(date) {
    const sandbox = await startSalesforceSandbox({});
    sandbox.seed(
      'Lead',
      [1, 2, 3].map((i) => ({ LastName: `Lead ${i}`, Company: 'X', Email: `l${i}@x.example` })),
    );
    const proxy = await dateProxy(sandbox.url, date);
    const connector = createSalesforceConnector({
      retry: FAST_RETRY,
      pageSize: 200,
      connection: { instanceUrl: proxy.url, accessToken: sandbox.accessToken, apiVersion: '62.0' },
    });
    return {
      connector,
      object: 'Lead',
      close: async () => {
        await connector.close();
        await proxy.close();
        await sandbox.close();
      },
    };
  },
  async hubspot(date) {
    const sandbox = await HubSpotSandbox.start({ limits: HUBSPOT.sandbox });
    sandbox.seed(
      'contacts',
      [1, 2, 3].map((i) => ({ email: `c${i}@x.example`, lastname: `Contact ${i}` })),
    );
    const proxy = await dateProxy(sandbox.url, date);
    const connector = createHubSpotConnector({
      baseUrl: proxy.url,
      accessToken: SANDBOX_TOKEN,
      tier: 'starter',
      limits: HUBSPOT.connector,
    });
    return {
      connector,
      object: 'contacts',
      close: async () => {
        await proxy.close();
        await sandbox.close();
      },
    };
  },
  async pipedrive(date) {
    const sandbox = await PipedriveSandbox.start({ limits: PIPEDRIVE.sandbox });
    sandbox.seed(
      'persons',
      [1, 2, 3].map((i) => ({ name: `Person ${i}`, emails: [{ value: `p${i}@x.example`, primary: true }] })),
    );
    const proxy = await dateProxy(sandbox.url, date);
    const connector = createPipedriveConnector({
      baseUrl: proxy.url,
      apiToken: PIPEDRIVE_SANDBOX_TOKEN,
      limits: PIPEDRIVE.connector,
    });
    return {
      connector,
      object: 'persons',
      close: async () => {
        await proxy.close();
        await sandbox.close();
      },
    };
  },
};

/** A pull's pages, when it said it began, and the span of this machine's clock it ran in. */
async function timed(pull: (onPulledAt: (at: string) => void) => AsyncIterable<Page<unknown>>) {
  const told: string[] = [];
  const before = Date.now();
  const pages: Page<unknown>[] = [];
  for await (const page of pull((at) => told.push(at))) pages.push(page);
  return { pages, told, before, after: Date.now() };
}

describe.each(Object.keys(rigs))('%s: when a pull began, in the CRM clock', (name) => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
  });

  it("takes it from the Date of the CRM's answers, also for a pull that finds nothing", async () => {
    const r = await (rigs[name] as (date: 'ahead' | 'none') => Promise<Rig>)('ahead');
    rig = r;
    const full = await timed((onPulledAt) => r.connector.pull(r.object, { fields: [], onPulledAt }));
    expect(full.pages.flatMap((p) => p.records)).toHaveLength(3);
    const since = full.pages.findLast((p) => p.cursor !== undefined)?.cursor as Cursor;
    const idle = await timed((onPulledAt) => r.connector.pull(r.object, { fields: [], since, onPulledAt }));
    expect(idle.pages.flatMap((p) => p.records)).toEqual([]);
    for (const run of [full, idle]) {
      expect(run.told).toHaveLength(1);
      // No later than the CRM's clock when the pull began; earlier by at most the dropped milliseconds and the
      // answer's time on the way.
      const at = Date.parse(run.told[0] as string);
      expect(at).toBeLessThanOrEqual(run.after + HOUR);
      expect(at).toBeGreaterThanOrEqual(run.before + HOUR - 2000);
    }
  });

  it("uses this machine's clock when the answers carry no Date", async () => {
    const r = await (rigs[name] as (date: 'ahead' | 'none') => Promise<Rig>)('none');
    rig = r;
    const run = await timed((onPulledAt) => r.connector.pull(r.object, { fields: [], onPulledAt }));
    expect(run.told).toHaveLength(1);
    const at = Date.parse(run.told[0] as string);
    expect(at).toBeGreaterThanOrEqual(run.before);
    expect(at).toBeLessThanOrEqual(run.after);
  });
});
