/*
 * The CRMs themselves are described by their connectors (`connectors/<crm>/index.ts`) and listed in the registry
 * (`connectors/index.ts`); the model knows only the unified entities every CRM's objects serve.
 */

export const ENTITIES = ['person', 'account', 'opportunity'] as const;
export type EntityName = (typeof ENTITIES)[number];
