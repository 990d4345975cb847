export { LIFECYCLE_STAGES } from '../../connectors/hubspot/standard-options.ts';
export type { SandboxCredentials } from './auth.ts';
export {
  CRM_BRIDGE_GROUP,
  type CustomProperties,
  type CustomPropertyInput,
  EXAMPLE_CUSTOM_PROPERTIES,
} from './custom-properties.ts';
export {
  type Generated,
  HubSpotSandbox,
  type HubSpotSandboxOptions,
  SANDBOX_TOKEN,
} from './hubspot-sandbox.ts';
export { PARTNER_PIPELINE, type PipelineDef } from './pipelines.ts';
export { modifiedProperty } from './properties.ts';
export { DEFAULT_SANDBOX_LIMITS, type SandboxRateLimits } from './rate-limit.ts';
export { BATCH_LIMIT } from './routes-batch.ts';
export { SEARCH_CAP } from './search.ts';
