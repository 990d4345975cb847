import type { BridgeConfig, FieldMapping, ValueMap } from '../config/schema.ts';
import type { PathSegment } from '../config/yaml-source.ts';
import type { FieldKind, FieldSpec } from '../connector/setup.ts';
import { isAssociation } from '../mapping/associations.ts';
import { valueMapEntries } from '../mapping/value-maps.ts';
import { ENTITIES, type EntityName, FIELD_CATALOG, type FieldType } from '../model/index.ts';
import { LEAD_TYPES, TEMPERATURES } from '../policy/vocabulary.ts';
import { fieldTable, objectsOf, twinField } from '../sync/field-table.ts';

/** A field the config writes, as setup would make it, with the config entry that asks for it. */
export interface WrittenField {
  readonly entity: EntityName;
  readonly connection: string;
  readonly spec: FieldSpec;
  /** Where in the config the field is named (for `file:line:column`). */
  readonly path: readonly PathSegment[];
}

/** Characters a twin id field holds: an 18-character Salesforce id, a HubSpot id, with room to spare. */
export const TWIN_ID_LENGTH = 32;

/** The values the policy writes to a field it computes, when no value map translates them. */
const POLICY_VALUES: Readonly<Record<string, readonly string[]>> = {
  leadType: LEAD_TYPES,
  temperature: TEMPERATURES,
};

const KIND_OF_TYPE: Readonly<Record<FieldType, FieldKind | undefined>> = {
  string: 'text',
  email: 'text',
  stringList: 'text',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  // A link holds the other CRM's record id in a reference field, which only the CRM's own objects make.
  link: undefined,
  linkList: undefined,
};

/**
 * Every field the config writes to one connection, each once (the first entity and mapping naming it), with the kind
 * of value it receives: a picklist of the value map's (or the policy's) values, else the unified field's type; and
 * each twin id field, unique text. Fields only read (rule `none`, one-way from there) are left out: a missing one
 * is the config's mistake, not something to create.
 */
export function writtenFields(config: BridgeConfig, connection: string): WrittenField[] {
  const out = new Map<string, WrittenField>();
  const add = (field: WrittenField) => {
    const key = `${field.spec.object}\u0000${field.spec.name}`.toLowerCase();
    if (!out.has(key)) out.set(key, field);
  };
  for (const entity of ENTITIES) {
    const mappings = config.objects[entity]?.fields ?? [];
    for (const object of objectsOf(config, entity, connection)) {
      for (const mapped of fieldTable(config, entity, connection, object)) {
        if (!mapped.writable) continue;
        const index = mappings.findIndex((f) => f.unified === mapped.unified);
        const mapping = mappings[index];
        if (mapping === undefined) continue;
        const kind = kindOf(config, entity, mapping, connection);
        if (kind === undefined) continue;
        const ref = mapping[connection];
        const perObject = typeof ref === 'object' && ref !== null && !Array.isArray(ref);
        const path = ['objects', entity, 'fields', index, connection, ...(perObject ? [object] : [])];
        const length = truncation(mapping);
        for (const name of mapped.externals.filter((n) => !isAssociation(n)))
          add({
            entity,
            connection,
            path,
            spec: {
              object,
              name,
              label: labelOf(name),
              kind: kind.kind,
              ...(kind.options ? { options: kind.options } : {}),
              ...(kind.kind === 'text' && length !== undefined ? { length } : {}),
            },
          });
      }
      const twin = twinField(config, entity, connection);
      if (twin !== undefined)
        add({
          entity,
          connection,
          path: ['objects', entity, 'twinId', connection],
          spec: {
            object,
            name: twin,
            label: labelOf(twin),
            kind: 'text',
            length: TWIN_ID_LENGTH,
            unique: true,
          },
        });
    }
  }
  return [...out.values()];
}

/** What a mapping writes: a picklist when its values are a closed list, else its unified field's type. */
function kindOf(
  config: BridgeConfig,
  entity: EntityName,
  mapping: FieldMapping,
  connection: string,
): { kind: FieldKind; options?: readonly string[] } | undefined {
  const type: FieldType | undefined = mapping.unified.startsWith('custom.')
    ? (mapping.type ?? 'string')
    : FIELD_CATALOG[entity].get(mapping.unified);
  const base = type === undefined ? undefined : KIND_OF_TYPE[type];
  if (base === undefined) return undefined;
  const map = mapping.values === undefined ? undefined : config.valueMaps[mapping.values];
  // A passthrough map lets values it does not know through: only a free-text field can take them.
  if (map !== undefined && map.passthrough !== true) {
    const options = writtenValues(map, connection);
    return options.length > 0 ? { kind: 'picklist', options } : { kind: base };
  }
  const policy = mapping.rule === 'policy' ? POLICY_VALUES[mapping.unified] : undefined;
  if (map === undefined && policy !== undefined) return { kind: 'picklist', options: policy };
  return { kind: base };
}

/** The values a value map writes to one connection (each entry's first value there), each once, in order. */
function writtenValues(map: ValueMap, connection: string): string[] {
  const out: string[] = [];
  for (const [, target] of valueMapEntries(map)) {
    const perConnection = typeof target === 'object' && target !== null && !Array.isArray(target);
    const own = perConnection ? (target as Record<string, unknown>)[connection] : target;
    const first = Array.isArray(own) ? own[0] : own;
    if (first === undefined || first === null) continue;
    const value = String(first);
    if (!out.includes(value)) out.push(value);
  }
  return out;
}

/** The longest value a `{ truncate: n }` transform lets through, if the mapping has one. */
function truncation(mapping: FieldMapping): number | undefined {
  for (const t of mapping.transform) if (typeof t === 'object' && t.truncate !== undefined) return t.truncate;
  return undefined;
}

/**
 * A label people can read, from the API name: `Lead_Score__c` → `Lead Score`, `crm_bridge_score` →
 * `Score (crm-bridge)`, `pain_point` → `Pain point`.
 */
export function labelOf(name: string): string {
  let base = name.replace(/__c$/, '');
  let suffix = '';
  if (/^crm_bridge_/i.test(base)) {
    base = base.slice('crm_bridge_'.length);
    suffix = ' (crm-bridge)';
  }
  const words = base.split('_').filter((w) => w !== '');
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${suffix}`;
}
