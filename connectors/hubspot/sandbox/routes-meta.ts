import type { SandboxAuth } from './auth.ts';
import { errorResponse } from './errors.ts';
import { pipelinesBody } from './pipelines.ts';
import type { PropertyDef } from './properties.ts';
import type { Register } from './router.ts';
import type { HubSpotStore } from './store.ts';

const CUSTOM = /^(crm_bridge_|budget$|is_decision_maker$|pain_point$|purchase_timeline$)/;

function propertyJson(def: PropertyDef, order: number): unknown {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: '',
    groupName: CUSTOM.test(def.name) ? 'crm_bridge' : 'information',
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
    hubspotDefined: !CUSTOM.test(def.name),
    formField: def.readOnly !== true,
    modificationMetadata: {
      archivable: true,
      readOnlyDefinition: true,
      readOnlyValue: def.readOnly === true,
    },
  };
}

/** Properties, deal pipelines and the OAuth token endpoint. */
export function metaRoutes(register: Register, store: HubSpotStore, auth: SandboxAuth): void {
  register('GET', '/crm/v3/properties/:type', 'GET /crm/v3/properties', (req) => {
    const defs = store.defs.get(req.params.type ?? '');
    if (!defs)
      return errorResponse(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${req.params.type}`);
    return { status: 200, body: { results: [...defs.values()].map(propertyJson) } };
  });
  register('GET', '/crm/v3/properties/:type/:name', 'GET /crm/v3/properties/:name', (req) => {
    const def = store.defs.get(req.params.type ?? '')?.get(req.params.name ?? '');
    if (!def) return errorResponse(404, 'OBJECT_NOT_FOUND', `Unable to find property ${req.params.name}`);
    return { status: 200, body: propertyJson(def, 0) };
  });
  register('GET', '/crm/v3/pipelines/:type', 'GET /crm/v3/pipelines', (req) => {
    if (req.params.type !== 'deals') return { status: 200, body: { results: [] } };
    return { status: 200, body: pipelinesBody('2024-01-01T00:00:00.000Z') };
  });
  register('POST', '/oauth/v1/token', 'POST /oauth/v1/token', (req) => auth.token(req));
}
