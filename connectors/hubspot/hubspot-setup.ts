import { ConnectorFailure } from '../../src/connector/errors.ts';
import type {
  FieldKind,
  FieldSetup,
  FieldSpec,
  SetupFailure,
  SetupOutcome,
} from '../../src/connector/setup.ts';
import type { FieldDescription } from '../../src/connector/types.ts';
import type { PropertyCreate } from './hubspot-api-types.ts';
import type { Call } from './hubspot-call.ts';

/** The property group crm-bridge's properties are created in, on every object type. */
export const SETUP_GROUP = { name: 'crm_bridge', label: 'crm-bridge' } as const;

/** HubSpot's property type and field type for each kind of value. */
const TYPES: Readonly<Record<FieldKind, { readonly type: string; readonly fieldType: string }>> = {
  text: { type: 'string', fieldType: 'text' },
  number: { type: 'number', fieldType: 'number' },
  integer: { type: 'number', fieldType: 'number' },
  boolean: { type: 'bool', fieldType: 'booleancheckbox' },
  date: { type: 'date', fieldType: 'date' },
  datetime: { type: 'datetime', fieldType: 'date' },
  picklist: { type: 'enumeration', fieldType: 'select' },
};

/** The property types that can hold each kind of value. */
const HOLDS: Readonly<Record<FieldKind, readonly string[]>> = {
  text: ['string', 'enumeration', 'phone_number'],
  number: ['number'],
  integer: ['number'],
  boolean: ['bool'],
  date: ['date', 'datetime'],
  datetime: ['datetime'],
  picklist: ['enumeration', 'string'],
};

const NAME = /^[a-z][a-z0-9_]*$/;

/** The property as `POST /crm/v3/properties/:type` takes it. */
export function propertyOf(spec: FieldSpec): PropertyCreate {
  const { type, fieldType } = TYPES[spec.kind];
  const values =
    spec.kind === 'boolean'
      ? [
          { label: 'Yes', value: 'true' },
          { label: 'No', value: 'false' },
        ]
      : (spec.options ?? []).map((value) => ({ label: value, value }));
  return {
    name: spec.name,
    label: spec.label,
    type,
    fieldType,
    groupName: SETUP_GROUP.name,
    description: 'Written by crm-bridge.',
    ...(values.length > 0
      ? { options: values.map((o, displayOrder) => ({ ...o, displayOrder, hidden: false })) }
      : {}),
    ...(spec.unique ? { hasUniqueValue: true } : {}),
  };
}

/**
 * Creates HubSpot custom properties through the properties API, in a `crm_bridge` group made where missing; a
 * property is usable by every token of the portal as soon as it exists.
 */
export class HubSpotSetup implements FieldSetup {
  readonly noun = { one: 'property', many: 'properties' } as const;
  readonly #call: Call;

  constructor(call: Call) {
    this.#call = call;
  }

  as(spec: FieldSpec): string {
    const { type, fieldType } = TYPES[spec.kind];
    const options = spec.kind === 'picklist' ? `: ${(spec.options ?? []).join(', ')}` : '';
    return `${type}/${fieldType}${spec.unique ? ', unique values' : ''}${options}`;
  }

  refuses(spec: FieldSpec): string | undefined {
    if (spec.name.startsWith('hs_'))
      return 'a property only HubSpot defines (hs_…): check its name in the config';
    if (!NAME.test(spec.name))
      return 'not a HubSpot property name (lower-case letters, digits and underscores, starting with a letter)';
    return undefined;
  }

  conflict(spec: FieldSpec, field: FieldDescription): string | undefined {
    return HOLDS[spec.kind].includes(field.type)
      ? undefined
      : `is a ${field.type} property, and crm-bridge writes ${TYPES[spec.kind].type} values to it`;
  }

  alsoDoes(create: readonly FieldSpec[]): readonly string[] {
    if (create.length === 0) return [];
    const types = [...new Set(create.map((s) => s.object))];
    return [`property group ${SETUP_GROUP.name} on ${types.join(', ')}, where missing`];
  }

  async apply(create: readonly FieldSpec[]): Promise<SetupOutcome> {
    const created: { spec: FieldSpec; as: string }[] = [];
    const found: FieldSpec[] = [];
    const steps: string[] = [];
    const failures: SetupFailure[] = [];
    const groupsMade = new Set<string>();
    try {
      for (const type of [...new Set(create.map((s) => s.object))]) {
        const groups = await this.#call('standard', (api) => need(api.propertyGroups)(type));
        if (groups.includes(SETUP_GROUP.name)) continue;
        await this.#call('standard', (api) => need(api.createPropertyGroup)(type, SETUP_GROUP));
        groupsMade.add(type);
      }
      if (groupsMade.size > 0)
        steps.push(`created the property group ${SETUP_GROUP.name} on ${[...groupsMade].join(', ')}`);
      for (const spec of create) {
        try {
          await this.#call('standard', (api) => need(api.createProperty)(spec.object, propertyOf(spec)));
          created.push({ spec, as: this.as(spec) });
        } catch (error) {
          if (!(error instanceof ConnectorFailure) || error.kind === 'auth' || error.retryable) throw error;
          if (error.kind === 'conflict') found.push(spec);
          else
            failures.push({
              spec,
              message: `HubSpot refused ${spec.object}.${spec.name}: ${error.message}`,
              fix: 'create the property by hand (Settings → Properties), or fix what HubSpot names',
            });
        }
      }
    } catch (error) {
      if (!(error instanceof ConnectorFailure) || error.kind !== 'auth') throw error;
      failures.push({
        message: `HubSpot refused to create properties: ${error.message}`,
        fix: 'give the private app (or OAuth app) the crm.schemas.contacts.write, crm.schemas.companies.write and crm.schemas.deals.write scopes, or create the properties by hand (Settings → Properties)',
      });
    }
    return { created, found, steps, failures };
  }
}

/** An optional API member the real client always has; a fake without it cannot set a portal up. */
function need<F>(member: F | undefined): F {
  if (member === undefined) throw new Error('this HubSpot client cannot manage properties');
  return member;
}
