import type { SandboxResponse } from '../kit/index.ts';
import { USER_ID } from './auth.ts';
import type { SandboxContext } from './context.ts';
import type { CustomFieldDefinition, CustomFieldType, CustomValue } from './custom-fields.ts';
import type { PermissionSetDefinition } from './permission-sets.ts';
import { soapCall, soapFault, soapResponse } from './routes-soap.ts';
import { child, childText, toXml, type XmlElement } from './xml.ts';

/** The most components one createMetadata call takes. */
export const MAX_METADATA = 10;
const NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/**
 * The Metadata API's SOAP endpoint, as jsforce's `conn.metadata` calls it; only createMetadata of CustomField and
 * PermissionSet, and upsertMetadata of PermissionSet, are served: what an admin tool does to set an org up for
 * crm-bridge. As in Salesforce, a field created
 * here is invisible to the API user until a permission set granting it is assigned to that user (a
 * PermissionSetAssignment record).
 */
export function metadataRoutes(ctx: SandboxContext): void {
  ctx.route('POST', '/services/Soap/m/:version', 'metadata', (request) => {
    const call = soapCall(request.text);
    if (call !== undefined && 'status' in call) return call;
    if (call?.name !== 'createMetadata' && call?.name !== 'upsertMetadata')
      return soapFault(
        'INVALID_OPERATION',
        `the sandbox serves createMetadata and upsertMetadata only, not ${call?.name ?? ''}`,
      );
    const components = call.children.filter((c) => c.name === 'metadata');
    if (components.length > MAX_METADATA) {
      return soapFault(
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_METADATA} records into this call`,
      );
    }
    const type = components[0]?.xsiType;
    if (components.some((c) => c.xsiType !== type)) {
      return soapFault('INVALID_TYPE', 'all the components of one call must be of one type');
    }
    if (call.name === 'upsertMetadata') {
      if (type !== 'PermissionSet')
        return soapFault(
          'INVALID_TYPE',
          `the sandbox upserts PermissionSet metadata only, not ${type ?? '?'}`,
        );
      const definitions = components.map(readPermissionSet);
      const results = ctx.store.schema.upsertPermissionSets(definitions);
      results.forEach((r, i) => {
        const definition = definitions[i];
        if (r.success && definition) regrant(ctx, definition.fullName, r.created, definition.label);
      });
      return metadataResponse('upsertMetadataResponse', results);
    }
    if (type === 'CustomField') {
      const results = ctx.store.schema.createCustomFields(components.map(readCustomField));
      return metadataResponse('createMetadataResponse', results);
    }
    if (type === 'PermissionSet') {
      const definitions = components.map(readPermissionSet);
      const results = ctx.store.schema.createPermissionSets(definitions);
      results.forEach((r, i) => {
        const definition = definitions[i];
        if (r.success && definition)
          ctx.store.insert('PermissionSet', { Name: definition.fullName, Label: definition.label });
      });
      return metadataResponse('createMetadataResponse', results);
    }
    return soapFault(
      'INVALID_TYPE',
      `the sandbox creates CustomField and PermissionSet metadata only, not ${type ?? '?'}`,
    );
  });
}

/**
 * After an upsert: a new permission set gets its record; a replaced one that is assigned to the API user grants its
 * field permissions at once, as Salesforce applies a changed permission set to the users it is assigned to.
 */
function regrant(ctx: SandboxContext, name: string, created: boolean, label: string): void {
  if (created) {
    ctx.store.insert('PermissionSet', { Name: name, Label: label });
    return;
  }
  const set = [...ctx.store.all('PermissionSet')].find(
    (r) => String(r.Name).toLowerCase() === name.toLowerCase(),
  );
  const assigned = [...ctx.store.all('PermissionSetAssignment')].some(
    (a) => !a.IsDeleted && a.PermissionSetId === set?.Id && a.AssigneeId === USER_ID,
  );
  if (assigned) ctx.store.schema.grant(name);
}

function metadataResponse(name: string, results: readonly unknown[]): SandboxResponse {
  return soapResponse(
    `<${name}>${results.map((r) => toXml('result', r)).join('')}</${name}>`,
    200,
    NAMESPACE,
  );
}

/** A CustomField component as the definition the schema checks; absent members stay absent. */
function readCustomField(element: XmlElement): CustomFieldDefinition {
  const text = (name: string) => childText(element, name);
  const number = (name: string) => {
    const value = text(name);
    return value === undefined || value === '' ? undefined : Number(value);
  };
  const flag = (e: XmlElement, name: string) => {
    const value = childText(e, name);
    return value === undefined ? undefined : value === 'true';
  };
  const members = {
    fullName: text('fullName') ?? '',
    label: text('label') ?? '',
    type: (text('type') ?? '') as CustomFieldType,
    length: number('length'),
    visibleLines: number('visibleLines'),
    precision: number('precision'),
    scale: number('scale'),
    defaultValue: text('defaultValue'),
    required: flag(element, 'required'),
    externalId: flag(element, 'externalId'),
    unique: flag(element, 'unique'),
    description: text('description'),
    inlineHelpText: text('inlineHelpText'),
    valueSet: readValueSet(child(element, 'valueSet')),
  };
  return Object.fromEntries(
    Object.entries(members).filter(([, v]) => v !== undefined),
  ) as unknown as CustomFieldDefinition;
}

function readValueSet(element: XmlElement | undefined): CustomFieldDefinition['valueSet'] {
  if (!element) return undefined;
  const definition = child(element, 'valueSetDefinition');
  const value: CustomValue[] = (definition?.children ?? [])
    .filter((c) => c.name === 'value')
    .map((v) => {
      const label = childText(v, 'label');
      return {
        fullName: childText(v, 'fullName') ?? '',
        default: childText(v, 'default') === 'true',
        ...(label !== undefined ? { label } : {}),
      };
    });
  return {
    restricted: childText(element, 'restricted') === 'true',
    ...(definition ? { valueSetDefinition: { value } } : {}),
  };
}

/** A PermissionSet component: its names and field permissions (other permissions are not read). */
function readPermissionSet(element: XmlElement): PermissionSetDefinition {
  const description = childText(element, 'description');
  return {
    fullName: childText(element, 'fullName') ?? '',
    label: childText(element, 'label') ?? '',
    ...(description !== undefined ? { description } : {}),
    fieldPermissions: element.children
      .filter((c) => c.name === 'fieldPermissions')
      .map((p) => ({
        field: childText(p, 'field') ?? '',
        readable: childText(p, 'readable') === 'true',
        editable: childText(p, 'editable') === 'true',
      })),
  };
}
