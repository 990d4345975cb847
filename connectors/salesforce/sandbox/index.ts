export { DEFAULT_CREDENTIALS, type SandboxCredentials } from './auth.ts';
export { SalesforceSandbox, type SalesforceSandboxOptions, startSalesforceSandbox } from './sandbox.ts';
export { CONVERTED_STATUS, LEAD_STATUSES, OBJECTS } from './schema.ts';
export { SeedGenerator } from './seed.ts';
export type { StoredRecord } from './store.ts';
