import { descriptorOf } from '../../connectors/index.ts';
import type { BridgeConfig } from '../config/schema.ts';
import { ENTITIES, type EntityName } from '../model/index.ts';
import { associationType, isAssociation } from './associations.ts';
import { encoderFor } from './encode.ts';
import { fieldSpecs } from './field-spec.ts';
import { compileInbound } from './inbound.ts';
import { compileOutbound } from './outbound.ts';
import type {
  ExternalFields,
  ExternalRecord,
  InboundMapper,
  MapResult,
  OutboundMapper,
  UnifiedInputs,
  UnifiedRecords,
} from './types.ts';

/** The config compiled into one mapper per entity, connection and external object. */
export interface CompiledMapping {
  /** Inbound: an external record (fields as the API returned them) → a validated unified record. */
  toUnified<E extends EntityName>(
    entity: E,
    connection: string,
    object: string,
    record: ExternalRecord,
  ): MapResult<UnifiedRecords[E]>;
  /** Outbound: a unified record → the encoded fields to write, only those whose rule writes to `connection`. */
  toExternal<E extends EntityName>(
    entity: E,
    connection: string,
    object: string,
    unified: UnifiedInputs[E],
  ): MapResult<ExternalFields>;
  /** The external fields to request when pulling the object (a connector's `fields` option). */
  /** The associated object types the mapping reads (`@<type>` names), to ask for with each page. */
  associationsToRead(entity: EntityName, connection: string, object: string): string[];
  fieldsToRead(entity: EntityName, connection: string, object: string): string[];
  /** The inbound mapper of one object, for loops over a page of records (no lookup per record). */
  inbound<E extends EntityName>(entity: E, connection: string, object: string): InboundMapper<E>;
  /** The outbound mapper of one object. */
  outbound<E extends EntityName>(entity: E, connection: string, object: string): OutboundMapper<E>;
}

interface ObjectMappers<E extends EntityName> {
  readonly inbound: InboundMapper<E>;
  readonly outbound: OutboundMapper<E>;
  readonly fieldsToRead: readonly string[];
  readonly associationsToRead: readonly string[];
}

/** The external objects an entity mapping names per connection (`sf: [Lead, Contact]`, `hs: contacts`). */
function objectsByConnection(config: BridgeConfig, entity: EntityName): [string, string[]][] {
  const mapping = config.objects[entity];
  if (mapping === undefined) return [];
  const out: [string, string[]][] = [];
  for (const [key, value] of Object.entries(mapping)) {
    if (key === 'match' || key === 'deletes' || key === 'twinId' || key === 'fields') continue;
    out.push([key, typeof value === 'string' ? [value] : (value as string[])]);
  }
  return out;
}

/**
 * Compiles a validated config once; every lookup, value-map table and step list is built here so that mapping
 * a record only runs steps. Throws only for a config `checkConfig` would have refused (a bug, not a bad record).
 */
export function compileMapping(config: BridgeConfig): CompiledMapping {
  const mappers = new Map<string, ObjectMappers<EntityName>>();
  const key = (entity: string, connection: string, object: string) =>
    `${entity}\u0000${connection}\u0000${object}`;
  for (const entity of ENTITIES) {
    for (const [connection, objects] of objectsByConnection(config, entity)) {
      const system = config.connections[connection]?.system;
      if (system === undefined) throw new Error(`objects.${entity}.${connection}: unknown connection`);
      const profile = descriptorOf(system);
      const encode = encoderFor(profile.valueEncoding);
      const twin = config.objects[entity]?.twinId?.[connection];
      for (const object of objects) {
        const specs = fieldSpecs(config, entity, connection, object);
        mappers.set(key(entity, connection, object), {
          inbound: compileInbound(entity, specs, connection, profile, object),
          outbound: compileOutbound(specs, connection, object, encode),
          // The twin id is read too: resolution pairs records by it. Associations are read with each page.
          fieldsToRead: [
            ...new Set([
              ...specs.flatMap((spec) => spec.names).filter((name) => !isAssociation(name)),
              ...(twin === undefined ? [] : [twin]),
            ]),
          ],
          associationsToRead: [
            ...new Set(
              specs
                .flatMap((spec) => spec.names)
                .filter(isAssociation)
                .map(associationType),
            ),
          ],
        });
      }
    }
  }
  const mappersOf = <E extends EntityName>(
    entity: E,
    connection: string,
    object: string,
  ): ObjectMappers<E> => {
    const found = mappers.get(key(entity, connection, object));
    // The key starts with the entity, so what is stored under it maps that entity.
    if (found !== undefined) return found as unknown as ObjectMappers<E>;
    const mapped = [...mappers.keys()].map((k) => k.split('\u0000').join(' ')).join(', ');
    throw new Error(`the config maps no ${entity} from ${connection} ${object}; it maps: ${mapped}`);
  };
  return {
    toUnified: (entity, connection, object, record) => mappersOf(entity, connection, object).inbound(record),
    toExternal: (entity, connection, object, unified) =>
      mappersOf(entity, connection, object).outbound(unified),
    fieldsToRead: (entity, connection, object) => [...mappersOf(entity, connection, object).fieldsToRead],
    associationsToRead: (entity, connection, object) => [
      ...mappersOf(entity, connection, object).associationsToRead,
    ],
    inbound: (entity, connection, object) => mappersOf(entity, connection, object).inbound,
    outbound: (entity, connection, object) => mappersOf(entity, connection, object).outbound,
  };
}
