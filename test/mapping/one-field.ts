import { BridgeConfig, type ValueMap } from '../../src/config/schema.ts';
import { compileMapping, type MapResult } from '../../src/mapping/index.ts';
import type { Person, PersonInput } from '../../src/model/index.ts';

/** A mapping entry as a test writes it, checked by the config schema when the config is built. */
export interface Entry {
  readonly unified: string;
  readonly [key: string]: unknown;
}

/** A config with Salesforce Lead/Contact and HubSpot contacts mapped by the given person fields only. */
export function personConfig(
  fields: readonly Entry[],
  valueMaps: Record<string, ValueMap> = {},
): BridgeConfig {
  return BridgeConfig.parse({
    version: 1,
    connections: { sf: { system: 'salesforce' }, hs: { system: 'hubspot' } },
    sync: { pair: ['sf', 'hs'] },
    objects: { person: { sf: ['Lead', 'Contact'], hs: 'contacts', fields } },
    valueMaps,
  });
}

export type Side = 'sf' | 'hs';
const OBJECT: Record<Side, string> = { sf: 'Lead', hs: 'contacts' };

/** Reads one external record of `side` (a Salesforce Lead or a HubSpot contact) through the given fields. */
export function readPerson(
  fields: readonly Entry[],
  side: Side,
  external: Record<string, unknown>,
  valueMaps?: Record<string, ValueMap>,
): MapResult<Person> {
  const mapping = compileMapping(personConfig(fields, valueMaps));
  return mapping.toUnified('person', side, OBJECT[side], { id: 'rec-1', fields: external });
}

/** Writes a unified person (kind lead) to `side` through the given fields. */
export function writePerson(
  fields: readonly Entry[],
  side: Side,
  unified: Omit<PersonInput, 'kind'>,
  valueMaps?: Record<string, ValueMap>,
): MapResult<Record<string, unknown>> {
  const mapping = compileMapping(personConfig(fields, valueMaps));
  return mapping.toExternal('person', side, OBJECT[side], { kind: 'lead', ...unified });
}

/** The value of one unified path in an ok result, or the failure reasons. */
export function outcome(result: MapResult<Person>, path: string): unknown {
  if (!result.ok) return { failed: result.failures.map((f) => f.reason) };
  let current: unknown = result.value;
  for (const key of path.split('.')) current = (current as Record<string, unknown> | undefined)?.[key];
  return current;
}

/** The written fields of an ok result, or the failure reasons. */
export function written(result: MapResult<Record<string, unknown>>): unknown {
  return result.ok ? result.value : { failed: result.failures.map((f) => f.reason) };
}
