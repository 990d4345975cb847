/**
 * Pushes 20,000 contacts to the HubSpot sandbox held at HubSpot's Free/Starter limit (100 requests per rolling
 * 10 s) and prints the batch calls made, the 429s met, the seconds taken and the theoretical bound.
 * Run with `node bench/hubspot-rate.ts` (optionally `--contacts N`).
 */
import { parseArgs } from 'node:util';
import { createHubSpotConnector } from '../connectors/hubspot/index.ts';
import { HubSpotSandbox, SANDBOX_TOKEN } from '../sandboxes/hubspot/index.ts';
import type { Write } from '../src/connector/types.ts';

const { values } = parseArgs({ options: { contacts: { type: 'string', default: '20000' } } });
const COUNT = Number(values.contacts);
const PER_WINDOW = 100;
const WINDOW_MS = 10_000;

const sandbox = await HubSpotSandbox.start({ limits: { perWindow: PER_WINDOW, windowMs: WINDOW_MS } });
try {
  const connector = createHubSpotConnector({
    baseUrl: sandbox.url,
    accessToken: SANDBOX_TOKEN,
    tier: 'starter',
  });
  const writes: Write[] = Array.from({ length: COUNT }, (_, i) => ({
    ref: String(i),
    fields: {
      email: `bench${i}@example.com`,
      firstname: 'Bench',
      lastname: `Contact ${i}`,
      lifecyclestage: 'lead',
    },
  }));
  const started = performance.now();
  const results = await connector.push('contacts', writes);
  const seconds = (performance.now() - started) / 1000;

  const batches = Math.ceil(COUNT / 100);
  // A rolling window that starts empty admits PER_WINDOW calls at once, then PER_WINDOW per window after that;
  // at the sustained rate the same calls take batches / (PER_WINDOW / window).
  const burstBound = (Math.ceil(batches / PER_WINDOW) - 1) * (WINDOW_MS / 1000);
  const sustainedBound = batches / (PER_WINDOW / (WINDOW_MS / 1000));
  const failed = results.filter((r) => !r.ok).length;
  const stats = connector.stats();
  console.log(`contacts pushed:       ${COUNT - failed} of ${COUNT} (${failed} failed)`);
  console.log(`contacts in sandbox:   ${sandbox.count('contacts')}`);
  console.log(
    `batch calls:           ${sandbox.calls('POST /crm/v3/objects/batch/upsert')} (all calls: ${sandbox.calls()})`,
  );
  console.log(
    `429s seen:             ${stats.rateLimited} (sandbox refused ${sandbox.limiter.refused.TEN_SECONDLY_ROLLING})`,
  );
  console.log(`seconds:               ${seconds.toFixed(1)}`);
  console.log(
    `theoretical bound:     ≥ ${burstBound.toFixed(1)} s from an empty window; ${sustainedBound.toFixed(1)} s at the sustained ${PER_WINDOW} per ${WINDOW_MS / 1000} s`,
  );
} finally {
  await sandbox.close();
}
