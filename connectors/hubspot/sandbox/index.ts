export { LIFECYCLE_STAGES } from '../standard-options.ts';
export type { SandboxCredentials } from './auth.ts';
export {
  type Generated,
  HubSpotSandbox,
  type HubSpotSandboxOptions,
  SANDBOX_TOKEN,
} from './hubspot-sandbox.ts';
export { modifiedProperty } from './properties.ts';
export { DEFAULT_SANDBOX_LIMITS, type SandboxRateLimits } from './rate-limit.ts';
export { BATCH_LIMIT } from './routes-batch.ts';
export { SEARCH_CAP } from './search.ts';
