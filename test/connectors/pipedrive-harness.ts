import {
  createPipedriveConnector,
  type PipedriveConnectorOptions,
} from '../../connectors/pipedrive/index.ts';
import {
  PIPEDRIVE_SANDBOX_TOKEN,
  PipedriveSandbox,
  type PipedriveSandboxOptions,
} from '../../sandboxes/pipedrive/index.ts';

/** Generous limits for tests that are not about rate limiting, on both sides. */
export const FAST = {
  sandbox: { perWindow: 100_000, windowMs: 2000, dailyTokens: 100_000_000 },
  connector: { burst: 100_000, windowMs: 2000, safetyMs: 0 },
} as const;

/**
 * A sandbox and a connector pointed at it through the official `pipedrive` client. The sandbox is a seeded
 * account (it has `EXAMPLE_CUSTOM_FIELDS`) unless `sandboxOptions` say otherwise (`customFields: {}`: a new company).
 */
export async function startPipedrive(
  sandboxOptions: PipedriveSandboxOptions = {},
  connectorOptions: Partial<PipedriveConnectorOptions> = {},
) {
  const sandbox = await PipedriveSandbox.start({ limits: FAST.sandbox, ...sandboxOptions });
  const connector = createPipedriveConnector({
    baseUrl: sandbox.url,
    apiToken: PIPEDRIVE_SANDBOX_TOKEN,
    limits: FAST.connector,
    retry: { baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 2000 },
    conversionPoll: { everyMs: 10, attempts: 20 },
    searchLagMs: 50,
    ...connectorOptions,
  });
  return { sandbox, connector };
}
