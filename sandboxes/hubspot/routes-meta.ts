import type { SandboxAuth } from './auth.ts';
import { errorResponse, recordErrorResponse } from './errors.ts';
import { pipelinesBody } from './pipelines.ts';
import type { PropertyGroupDef } from './portal-schema.ts';
import type { PropertyDef } from './properties.ts';
import { bodyOf, type Register } from './router.ts';
import { type HubSpotStore, isError } from './store.ts';

function propertyJson(def: PropertyDef, order: number): unknown {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: '',
    groupName: def.groupName ?? '',
    options: (def.options ?? []).map((o, i) => ({
      label: o.label,
      value: o.value,
      displayOrder: i,
      hidden: false,
    })),
    displayOrder: order,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: def.hasUniqueValue === true,
    hidden: false,
    hubspotDefined: def.custom !== true,
    formField: def.readOnly !== true,
    modificationMetadata: {
      archivable: true,
      readOnlyDefinition: true,
      readOnlyValue: def.readOnly === true,
    },
  };
}

const groupJson = (group: PropertyGroupDef): unknown => ({ ...group, archived: false });

/**
 * Properties (read, and create custom ones), property groups (read, create), deal pipelines and the OAuth token
 * endpoint. Creating a property that exists answers 409, as HubSpot does.
 */
export function metaRoutes(register: Register, store: HubSpotStore, auth: SandboxAuth): void {
  const unknownType = (type: string | undefined) =>
    errorResponse(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
  register('GET', '/crm/v3/properties/:type', 'GET /crm/v3/properties', (req) => {
    const defs = store.defs.get(req.params.type ?? '');
    if (!defs) return unknownType(req.params.type);
    return { status: 200, body: { results: [...defs.values()].map(propertyJson) } };
  });
  register('POST', '/crm/v3/properties/:type', 'POST /crm/v3/properties', (req) => {
    const created = store.schema.createProperty(req.params.type ?? '', bodyOf(req.json));
    return isError(created)
      ? recordErrorResponse(created)
      : { status: 201, body: propertyJson(created, store.defs.get(req.params.type ?? '')?.size ?? 0) };
  });
  register('GET', '/crm/v3/properties/:type/groups', 'GET /crm/v3/properties/groups', (req) => {
    const groups = store.schema.groups.get(req.params.type ?? '');
    if (!groups) return unknownType(req.params.type);
    return { status: 200, body: { results: [...groups.values()].map(groupJson) } };
  });
  register('POST', '/crm/v3/properties/:type/groups', 'POST /crm/v3/properties/groups', (req) => {
    const created = store.schema.createGroup(req.params.type ?? '', bodyOf(req.json));
    return isError(created) ? recordErrorResponse(created) : { status: 201, body: groupJson(created) };
  });
  register('GET', '/crm/v3/properties/:type/:name', 'GET /crm/v3/properties/:name', (req) => {
    const def = store.defs.get(req.params.type ?? '')?.get(req.params.name ?? '');
    if (!def) return errorResponse(404, 'OBJECT_NOT_FOUND', `Unable to find property ${req.params.name}`);
    return { status: 200, body: propertyJson(def, 0) };
  });
  register('GET', '/crm/v3/pipelines/:type', 'GET /crm/v3/pipelines', (req) => {
    if (req.params.type !== 'deals') return { status: 200, body: { results: [] } };
    return { status: 200, body: pipelinesBody(store.schema.pipelines, '2024-01-01T00:00:00.000Z') };
  });
  register('POST', '/oauth/v1/token', 'POST /oauth/v1/token', (req) => auth.token(req));
}
