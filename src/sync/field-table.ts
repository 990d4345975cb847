import type { BridgeConfig } from '../config/schema.ts';
import { writesTo } from '../config/semantics.ts';
import type { EntityName } from '../model/index.ts';

/** One unified field as mapped for one external object. */
export interface MappedField {
  readonly unified: string;
  readonly rule: string;
  /** The external field(s) holding it in that object. */
  readonly externals: readonly string[];
  /** Whether the rule lets crm-bridge write it to that connection. */
  readonly writable: boolean;
}

const ENTITY_KEYS = new Set(['match', 'deletes', 'twinId', 'fields']);

/** The external objects of an entity per connection, as the config names them. */
export function objectsOf(config: BridgeConfig, entity: EntityName, connection: string): string[] {
  const value = config.objects[entity]?.[connection];
  if (value === undefined || ENTITY_KEYS.has(connection)) return [];
  return typeof value === 'string' ? [value] : [...(value as string[])];
}

/** Tables already built, per config: a round asks for them once per record. */
const tables = new WeakMap<BridgeConfig, Map<string, readonly MappedField[]>>();

/** The fields of an entity that a connection's object maps, with what the rules allow. */
export function fieldTable(
  config: BridgeConfig,
  entity: EntityName,
  connection: string,
  object: string,
): readonly MappedField[] {
  let byObject = tables.get(config);
  if (byObject === undefined) {
    byObject = new Map();
    tables.set(config, byObject);
  }
  const key = `${entity}\u0000${connection}\u0000${object}`;
  const known = byObject.get(key);
  if (known !== undefined) return known;
  const built = buildTable(config, entity, connection, object);
  byObject.set(key, built);
  return built;
}

function buildTable(
  config: BridgeConfig,
  entity: EntityName,
  connection: string,
  object: string,
): MappedField[] {
  const out: MappedField[] = [];
  for (const field of config.objects[entity]?.fields ?? []) {
    const ref = field[connection];
    if (ref === undefined) continue;
    const names =
      typeof ref === 'string' || Array.isArray(ref)
        ? ref
        : (ref as Record<string, string | string[]>)[object];
    if (names === undefined) continue;
    out.push({
      unified: field.unified,
      rule: field.rule,
      externals: typeof names === 'string' ? [names] : names,
      writable: writesTo(field.rule, connection),
    });
  }
  return out;
}

/** The match keys of an entity: the config's `match`, else e-mail for people and domain for accounts. */
export function matchFields(config: BridgeConfig, entity: EntityName): readonly string[] {
  return (
    config.objects[entity]?.match ??
    (entity === 'person' ? ['email'] : entity === 'account' ? ['domain'] : [])
  );
}

/** The field of `connection`'s objects that holds each record's twin id in the other connection, if configured. */
export function twinField(config: BridgeConfig, entity: EntityName, connection: string): string | undefined {
  return config.objects[entity]?.twinId?.[connection];
}

/** The other connection of the pair. */
export function otherConnection(config: BridgeConfig, connection: string): string {
  const [a, b] = config.sync.pair;
  return connection === a ? b : a;
}
