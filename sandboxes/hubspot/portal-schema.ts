import type { CustomProperties, CustomPropertyInput } from './custom-properties.ts';
import { type RecordError, recordError } from './errors.ts';
import { DEFAULT_PIPELINES, type PipelineDef, type StageDef } from './pipelines.ts';
import { DEFAULT_GROUPS, type PropertyDef, STANDARD_PROPERTIES } from './properties.ts';

/** A property group as `/crm/v3/properties/:type/groups` returns it. */
export interface PropertyGroupDef {
  readonly name: string;
  readonly label: string;
  readonly displayOrder: number;
}

/** How a portal starts: a new one has HubSpot's properties and the default sales pipeline only. */
export interface PortalSetup {
  /** Custom properties that exist from the start (their groups are made as needed). */
  readonly customProperties?: CustomProperties;
  /** Deal pipelines beside the default sales pipeline. */
  readonly pipelines?: readonly PipelineDef[];
}

/** The field types HubSpot accepts for each property type. */
const FIELD_TYPES: Readonly<Record<string, readonly string[]>> = {
  string: ['text', 'textarea', 'phonenumber', 'html', 'file'],
  number: ['number'],
  bool: ['booleancheckbox'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  date: ['date'],
  datetime: ['date'],
};

const NAME = /^[a-z][a-z0-9_]*$/;

const invalid = (message: string): RecordError => recordError(400, 'VALIDATION_ERROR', message);

/**
 * A portal's property definitions, property groups and deal pipelines. Custom properties and groups are added
 * through the API (or the sandbox's setup); a deal's `dealstage` and `pipeline` options come from the pipelines.
 */
export class PortalSchema {
  /** Property definitions by object type, then name. */
  readonly defs = new Map<string, Map<string, PropertyDef>>();
  /** Property groups by object type, then name. */
  readonly groups = new Map<string, Map<string, PropertyGroupDef>>();
  readonly pipelines: readonly PipelineDef[];

  constructor(setup: PortalSetup = {}) {
    this.pipelines = [...DEFAULT_PIPELINES, ...(setup.pipelines ?? [])];
    const stages = this.pipelines.flatMap((p) => p.stages.map((s) => ({ value: s.id, label: s.label })));
    const pipelines = this.pipelines.map((p) => ({ value: p.id, label: p.label }));
    for (const [type, defs] of Object.entries(STANDARD_PROPERTIES)) {
      const group = DEFAULT_GROUPS[type] ?? { name: `${type}information`, label: 'Information' };
      this.groups.set(type, new Map([[group.name, { ...group, displayOrder: 0 }]]));
      const options = (d: PropertyDef) =>
        type !== 'deals'
          ? d.options
          : d.name === 'dealstage'
            ? stages
            : d.name === 'pipeline'
              ? pipelines
              : d.options;
      this.defs.set(
        type,
        new Map(defs.map((d) => [d.name, { ...d, groupName: group.name, ...withOptions(options(d)) }])),
      );
    }
    for (const [type, inputs] of Object.entries(setup.customProperties ?? {})) {
      for (const input of inputs) {
        if (!this.groups.get(type)?.has(input.groupName)) {
          this.createGroup(type, { name: input.groupName, label: input.groupName });
        }
        const created = this.createProperty(type, input);
        if ('category' in created)
          throw new Error(`custom property ${type}.${input.name}: ${created.message}`);
      }
    }
  }

  /** A stage of a pipeline, if both exist. */
  stage(pipelineId: string, stageId: string): StageDef | undefined {
    return this.pipelines.find((p) => p.id === pipelineId)?.stages.find((s) => s.id === stageId);
  }

  /** Creates a property group, or says why HubSpot would not (400 invalid, 409 it exists). */
  createGroup(type: string, input: Readonly<Record<string, unknown>>): PropertyGroupDef | RecordError {
    const groups = this.groups.get(type);
    if (!groups) return invalid(`Unable to infer object type from: ${type}`);
    const { name, label } = input;
    if (typeof name !== 'string' || !NAME.test(name)) {
      return invalid(
        `Property group name must be lower-case letters, digits and underscores: ${String(name)}`,
      );
    }
    if (typeof label !== 'string' || label.trim() === '') return invalid('Property group label is required');
    if (groups.has(name))
      return recordError(409, 'CONFLICT', `A property group named ${name} already exists`);
    const group = {
      name,
      label,
      displayOrder: typeof input.displayOrder === 'number' ? input.displayOrder : groups.size,
    };
    groups.set(name, group);
    return group;
  }

  /** Creates a custom property, or says why HubSpot would not (400 invalid, 409 it exists). */
  createProperty(type: string, input: Partial<CustomPropertyInput>): PropertyDef | RecordError {
    const defs = this.defs.get(type);
    if (!defs) return invalid(`Unable to infer object type from: ${type}`);
    const { name, label, groupName } = input;
    const kind = input.type ?? '';
    const fieldType = input.fieldType ?? '';
    if (typeof name !== 'string' || !NAME.test(name)) {
      return invalid(`Property name must be lower-case letters, digits and underscores: ${String(name)}`);
    }
    if (name.startsWith('hs_'))
      return invalid(`Property names starting with hs_ are reserved for HubSpot: ${name}`);
    if (defs.has(name)) return recordError(409, 'CONFLICT', `A property named ${name} already exists`);
    if (typeof label !== 'string' || label.trim() === '') return invalid(`Property ${name} needs a label`);
    const fieldTypes = FIELD_TYPES[kind];
    if (!fieldTypes) return invalid(`Property ${name} has an unknown type: ${kind}`);
    if (!fieldTypes.includes(fieldType)) {
      return invalid(`Property ${name} of type ${kind} cannot have fieldType ${fieldType}`);
    }
    if (typeof groupName !== 'string' || !this.groups.get(type)?.has(groupName)) {
      return invalid(`Property group ${String(groupName)} does not exist for ${type}`);
    }
    if (input.hasUniqueValue === true && kind !== 'string' && kind !== 'number') {
      return invalid(`Only text and number properties can have unique values: ${name}`);
    }
    const options =
      kind === 'bool' && (input.options ?? []).length === 0
        ? [
            { value: 'true', label: 'Yes' },
            { value: 'false', label: 'No' },
          ]
        : (input.options ?? []).map((o) => ({ value: o.value, label: o.label }));
    const values = options.map((o) => o.value);
    if (options.some((o) => typeof o.value !== 'string' || typeof o.label !== 'string')) {
      return invalid(`Every option of ${name} needs a label and a value`);
    }
    if (new Set(values).size !== values.length) return invalid(`Property ${name} repeats an option value`);
    const def: PropertyDef = {
      name,
      label,
      type: kind,
      fieldType,
      groupName,
      custom: true,
      ...(kind === 'enumeration' || kind === 'bool' ? { options } : {}),
      ...(input.hasUniqueValue === true ? { hasUniqueValue: true } : {}),
    };
    defs.set(name, def);
    return def;
  }
}

function withOptions(options: PropertyDef['options']): Pick<PropertyDef, 'options'> {
  return options ? { options } : {};
}
