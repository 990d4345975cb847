export { DEFAULT_CREDENTIALS, type SandboxCredentials } from './auth.ts';
export { EXAMPLE_ORG, EXAMPLE_PICKLIST_VALUES } from './example-org.ts';
export { OrgSchema, type PicklistAdditions } from './org-schema.ts';
export { SalesforceSandbox, type SalesforceSandboxOptions, startSalesforceSandbox } from './sandbox.ts';
export { CONVERTED_STATUS, LEAD_STATUSES, STANDARD_OBJECTS } from './schema.ts';
export { SeedGenerator, type SeedOptions } from './seed.ts';
export type { StoredRecord } from './store.ts';
