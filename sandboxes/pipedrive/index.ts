export {
  EXAMPLE_CUSTOM_FIELDS,
  type Generated,
  PIPEDRIVE_SANDBOX_TOKEN,
  PipedriveSandbox,
  type PipedriveSandboxOptions,
} from './pipedrive-sandbox.ts';
export { DEFAULT_SANDBOX_LIMITS, type SandboxRateLimits } from './rate-limit.ts';
export { CUSTOM_FIELD_TYPES, type CustomFieldInput, type CustomFields } from './schema.ts';
export { MAX_LIMIT } from './wire.ts';
