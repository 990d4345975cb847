export { DEFAULT_CREDENTIALS, type SandboxCredentials } from './auth.ts';
export type { CustomFieldDefinition, CustomFieldType, MetadataSaveResult } from './custom-fields.ts';
export { EXAMPLE_CUSTOM_FIELDS, EXAMPLE_ORG } from './example-org.ts';
export { OrgSchema, type OrgSetup, type PicklistAdditions } from './org-schema.ts';
export type { FieldPermission, PermissionSetDefinition } from './permission-sets.ts';
export { SalesforceSandbox, type SalesforceSandboxOptions, startSalesforceSandbox } from './sandbox.ts';
export { CONVERTED_STATUS, LEAD_STATUSES, STANDARD_OBJECTS } from './schema.ts';
export { SeedGenerator, type SeedOptions } from './seed.ts';
export type { StoredRecord } from './store.ts';
