import type * as z from 'zod';
import { Account } from './account.ts';
import type { EntityName } from './entities.ts';
import { Opportunity } from './opportunity.ts';
import { Person } from './person.ts';

/** The value types a mapped unified field can have; the mapper coerces external values to them. */
export type FieldType =
  | 'string'
  | 'email'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'stringList'
  | 'link'
  | 'linkList';

export const CUSTOM_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'stringList',
] as const;

/** Fields the engine owns: they are never the target of a mapping. */
const RESERVED = new Set(['id', 'sources', 'custom', 'deleted', 'mergedInto', 'kind', 'converted']);

export const ENTITY_SCHEMAS = { person: Person, account: Account, opportunity: Opportunity } as const;

/** A zod schema seen through its public definition, enough to tell which field type it holds. */
interface Inspectable {
  readonly def: { readonly type: string; readonly innerType?: unknown; readonly element?: unknown };
  readonly format?: string | null;
  readonly shape?: Record<string, unknown>;
}

function unwrap(schema: Inspectable): Inspectable {
  let current = schema;
  while (current.def.innerType !== undefined) current = current.def.innerType as Inspectable;
  return current;
}

function fieldType(schema: Inspectable): FieldType | 'object' | undefined {
  const s = unwrap(schema);
  switch (s.def.type) {
    case 'string':
      if (s.format === 'email') return 'email';
      if (s.format === 'date') return 'date';
      if (s.format === 'datetime') return 'datetime';
      return 'string';
    case 'number':
      return s.format === 'safeint' ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const element = unwrap(s.def.element as Inspectable);
      return element.def.type === 'object' ? 'linkList' : 'stringList';
    }
    case 'object':
      return s.shape !== undefined && 'refs' in s.shape ? 'link' : 'object';
    default:
      return undefined;
  }
}

function collect(shape: Record<string, unknown>, prefix: string, out: Map<string, FieldType>): void {
  for (const [key, value] of Object.entries(shape)) {
    if (prefix === '' && RESERVED.has(key)) continue;
    const type = fieldType(value as Inspectable);
    if (type === 'object') collect(unwrap(value as Inspectable).shape ?? {}, `${prefix}${key}.`, out);
    else if (type !== undefined) out.set(`${prefix}${key}`, type);
  }
}

function catalogOf(schema: z.ZodObject): ReadonlyMap<string, FieldType> {
  const out = new Map<string, FieldType>();
  collect(schema.shape, '', out);
  return out;
}

/** Every mappable unified field path (e.g. `email`, `address.city`) with its type, per entity. */
export const FIELD_CATALOG: Readonly<Record<EntityName, ReadonlyMap<string, FieldType>>> = {
  person: catalogOf(Person),
  account: catalogOf(Account),
  opportunity: catalogOf(Opportunity),
};
