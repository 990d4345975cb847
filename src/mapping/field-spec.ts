import type { BridgeConfig, FieldMapping, OnInvalid } from '../config/schema.ts';
import { type EntityName, FIELD_CATALOG, type FieldType } from '../model/index.ts';
import { type CompiledTransforms, compileTransforms } from './transforms.ts';
import { parsePath, type UnifiedPath } from './unified-path.ts';
import { type ConnectionValueMap, compileValueMap } from './value-maps.ts';

/** One field mapping resolved for one connection and external object: everything per-record code needs. */
export interface FieldSpec {
  /** The unified path as written in the config. */
  readonly unified: string;
  /** The same path, split once for per-record reads and writes. */
  readonly path: UnifiedPath;
  /** The unified type values are coerced to: the model's, or `type:` (default string) for `custom.*`. */
  readonly type: FieldType;
  /** The sync rule; it only decides what is written. */
  readonly rule: string;
  /** The external fields: one, or several joined. */
  readonly names: readonly string[];
  /** How failures name the external side. */
  readonly external: string;
  /** The transform list compiled for both directions. */
  readonly transforms: CompiledTransforms;
  /** The value map seen from this connection, when the mapping names one. */
  readonly valueMap: ConnectionValueMap | undefined;
  /** What a value that cannot be mapped does: skip the field, hold the record, or use a unified default. */
  readonly onInvalid: OnInvalid;
}

/** The external field names a mapping gives for this connection and object; empty when it maps none there. */
function namesFor(mapping: FieldMapping, connection: string, object: string): readonly string[] {
  const value: unknown = (mapping as Record<string, unknown>)[connection];
  const names =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)[object]
      : value;
  if (typeof names === 'string') return [names];
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
}

const CUSTOM_NAME = /^custom\.[A-Za-z][A-Za-z0-9_]*$/;

function typeOf(entity: EntityName, mapping: FieldMapping): FieldType {
  if (CUSTOM_NAME.test(mapping.unified)) return mapping.type ?? 'string';
  const type = FIELD_CATALOG[entity].get(mapping.unified);
  // A validated config never gets here: checkConfig reports unknown unified fields with file and line.
  if (type === undefined) throw new Error(`unknown unified field ${entity}.${mapping.unified}`);
  return type;
}

/** Resolves an entity's field mappings for one connection and object, in config order. */
export function fieldSpecs(
  config: BridgeConfig,
  entity: EntityName,
  connection: string,
  object: string,
): FieldSpec[] {
  const specs: FieldSpec[] = [];
  for (const mapping of config.objects[entity]?.fields ?? []) {
    const names = namesFor(mapping, connection, object);
    if (names.length === 0) continue;
    const valueMapName = mapping.values;
    let valueMap: ConnectionValueMap | undefined;
    if (valueMapName !== undefined) {
      const map = config.valueMaps[valueMapName];
      if (map === undefined) throw new Error(`unknown value map ${valueMapName}`);
      valueMap = compileValueMap(valueMapName, map, connection);
    }
    specs.push({
      unified: mapping.unified,
      path: parsePath(mapping.unified),
      type: typeOf(entity, mapping),
      rule: mapping.rule,
      names,
      external: names.join(', '),
      transforms: compileTransforms(mapping.transform, connection),
      valueMap,
      onInvalid: mapping.onInvalid ?? 'skip',
    });
  }
  return wholeWhereNotShared(specs);
}

/**
 * A split shapes one external field that several unified fields share (Pipedrive's one `name` as a first and a
 * last name). In a connection that gives each unified field a field of its own (HubSpot's `firstname` and
 * `lastname`), there is nothing to split: the field is read and written whole.
 */
function wholeWhereNotShared(specs: FieldSpec[]): FieldSpec[] {
  const splitters = new Map<string, number>();
  for (const spec of specs)
    if (spec.transforms.split !== undefined)
      splitters.set(spec.external, (splitters.get(spec.external) ?? 0) + 1);
  return specs.map((spec) =>
    spec.transforms.split !== undefined && (splitters.get(spec.external) ?? 0) < 2
      ? { ...spec, transforms: { ...spec.transforms, split: undefined } }
      : spec,
  );
}
