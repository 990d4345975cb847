import type { BridgeConfig } from '../config/schema.ts';
import { closest } from '../config/suggest.ts';
import type { Connector, ObjectSchema } from '../connector/types.ts';
import { valueMapEntries } from '../mapping/value-maps.ts';
import { ENTITIES } from '../model/index.ts';
import { fieldTable, objectsOf } from './field-table.ts';

/** One mismatch between the config and what a CRM says about itself. */
export interface CheckProblem {
  readonly connection: string;
  readonly object: string;
  /** The external field, or undefined for a problem with the object itself. */
  readonly field?: string;
  readonly message: string;
}

/** The external values a value map writes and reads for one connection. */
function valuesFor(config: BridgeConfig, mapName: string, connection: string): string[] {
  const out: string[] = [];
  const map = config.valueMaps[mapName];
  for (const [, target] of map === undefined ? [] : valueMapEntries(map)) {
    const own =
      typeof target === 'object' && target !== null && !Array.isArray(target)
        ? (target as Record<string, unknown>)[connection]
        : target;
    if (own === undefined) continue;
    for (const v of Array.isArray(own) ? own : [own]) out.push(String(v));
  }
  return out;
}

/**
 * Checks a config against both CRMs' describe data: every mapped external field exists, fields the rules write
 * are writable, and every value a value map uses is an active picklist (or enumeration) value.
 */
export async function checkAgainstCrms(
  config: BridgeConfig,
  connectors: Readonly<Record<string, Connector>>,
): Promise<CheckProblem[]> {
  const problems: CheckProblem[] = [];
  for (const connection of config.sync.pair) {
    const connector = connectors[connection];
    if (connector === undefined) continue;
    for (const entity of ENTITIES) {
      for (const object of objectsOf(config, entity, connection)) {
        let schema: ObjectSchema;
        try {
          schema = await connector.describe(object);
        } catch (error) {
          problems.push({
            connection,
            object,
            message: `cannot describe ${object}: ${(error as Error).message}`,
          });
          continue;
        }
        const fields = new Map(schema.fields.map((f) => [f.name, f]));
        const byField = new Map(config.objects[entity]?.fields.map((f) => [f.unified, f]));
        for (const mapped of fieldTable(config, entity, connection, object)) {
          for (const name of mapped.externals) {
            const field = fields.get(name);
            if (field === undefined) {
              const guess = closest(name, fields.keys());
              problems.push({
                connection,
                object,
                field: name,
                message: `no such field${guess ? ` (did you mean ${guess}?)` : ''}, mapped to ${mapped.unified}`,
              });
              continue;
            }
            if (mapped.writable && !field.writable) {
              problems.push({
                connection,
                object,
                field: name,
                message: `is read-only, but rule ${mapped.rule} writes ${mapped.unified} to it (use rule none, or one-way from ${connection})`,
              });
            }
            const mapName = byField.get(mapped.unified)?.values;
            if (mapName === undefined || field.picklist === undefined) continue;
            const active = new Set(field.picklist.filter((p) => p.active).map((p) => p.value));
            const missing = valuesFor(config, mapName, connection).filter((v) => !active.has(v));
            if (missing.length > 0) {
              problems.push({
                connection,
                object,
                field: name,
                message: `value map ${mapName} uses ${missing.map((v) => JSON.stringify(v)).join(', ')}, not active values of this picklist`,
              });
            }
          }
        }
      }
    }
  }
  return problems;
}
