import { readFileSync } from 'node:fs';
import type { BridgeConfig } from '../config/schema.ts';
import { closest } from '../config/suggest.ts';
import { formatIssue, type PathSegment, YamlSource } from '../config/yaml-source.ts';
import type { Connector, ObjectSchema } from '../connector/types.ts';
import { isAssociation } from '../mapping/associations.ts';
import { valueMapEntries } from '../mapping/value-maps.ts';
import { ENTITIES, type EntityName } from '../model/index.ts';
import { fieldTable, objectsOf, twinField } from './field-table.ts';
import { profileOf } from './person-objects.ts';

/**
 * `describe`: the object could not be described; `missing-field`: a field the config names does not exist (or the API
 * user cannot see it); `read-only`: it exists and cannot be written; `picklist-value`: a value map writes a value
 * the picklist lacks; `required-field`: a create can leave a required field empty.
 */
export type CheckProblemKind =
  | 'describe'
  | 'missing-field'
  | 'read-only'
  | 'picklist-value'
  | 'required-field';

/** One mismatch between the config and what a CRM says about itself. */
export interface CheckProblem {
  /** The config's entity (`objects.<entity>`) the problem belongs to. */
  readonly entity: EntityName;
  readonly connection: string;
  readonly object: string;
  /** The external field, or undefined for a problem with the object itself. */
  readonly field?: string;
  /** What is wrong, as a tag a program can act on (`crm-bridge setup` creates the missing fields). */
  readonly kind: CheckProblemKind;
  readonly message: string;
  /** What to change, in the config or in the CRM. */
  readonly fix: string;
  /** Where in the config to change it. */
  readonly path: readonly PathSegment[];
  /**
   * `error`: every write of the entity would fail or be wrong, so a round skips the entity. `warning`: some records
   * can fail (a required field the mapping can leave empty); they are reported one by one.
   */
  readonly severity: 'error' | 'warning';
}

/**
 * Each value a value map writes to one connection (an entry's first value there), with the entry's config path.
 * Inbound aliases are left out: a value the picklist lacks is never read, so listing it does no harm.
 */
function writtenValues(
  config: BridgeConfig,
  mapName: string,
  connection: string,
): { value: string; path: PathSegment[] }[] {
  const out: { value: string; path: PathSegment[] }[] = [];
  const map = config.valueMaps[mapName];
  for (const [unified, target] of map === undefined ? [] : valueMapEntries(map)) {
    const perConnection = typeof target === 'object' && target !== null && !Array.isArray(target);
    const own = perConnection ? (target as Record<string, unknown>)[connection] : target;
    if (own === undefined) continue;
    const first = Array.isArray(own) ? own[0] : own;
    const path = ['valueMaps', mapName, unified, ...(perConnection ? [connection] : [])];
    if (first !== undefined) out.push({ value: String(first), path });
  }
  return out;
}

/** The config path of the external field name a mapping gives for one object. */
function fieldPath(
  config: BridgeConfig,
  entity: EntityName,
  unified: string,
  connection: string,
  object: string,
) {
  const fields = config.objects[entity]?.fields ?? [];
  const index = fields.findIndex((f) => f.unified === unified);
  const ref = fields[index]?.[connection];
  const perObject = typeof ref === 'object' && ref !== null && !Array.isArray(ref);
  return ['objects', entity, 'fields', index, connection, ...(perObject ? [object] : [])];
}

/** Whether a mapping fills blanks it writes to `connection` (a `{ default }` for both sides or for that one). */
function hasDefault(config: BridgeConfig, entity: EntityName, unified: string, connection: string): boolean {
  const mapping = config.objects[entity]?.fields.find((f) => f.unified === unified);
  return (mapping?.transform ?? []).some(
    (t) =>
      typeof t === 'object' &&
      t.default !== undefined &&
      (typeof t.default !== 'object' || t.default[connection] !== undefined),
  );
}

/**
 * Checks a config against both CRMs' describe data: every mapped external field exists, fields the rules write
 * are writable, every value a value map writes is an active picklist (or enumeration) value, and every field a
 * create needs is filled. `describeErrors: 'throw'` lets a failed describe (credentials, API down) stop the caller
 * rather than be reported as a problem.
 */
export async function checkAgainstCrms(
  config: BridgeConfig,
  connectors: Readonly<Record<string, Connector>>,
  options: { describeErrors?: 'report' | 'throw' } = {},
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
          if (options.describeErrors === 'throw') throw error;
          problems.push({
            entity,
            connection,
            object,
            kind: 'describe',
            message: `cannot describe ${object}: ${(error as Error).message}`,
            fix: `check the ${connection} connection's credentials and that the object exists`,
            path: ['objects', entity, connection],
            severity: 'error',
          });
          continue;
        }
        problems.push(...checkObject(config, entity, connection, object, schema));
      }
    }
  }
  return problems;
}

function checkObject(
  config: BridgeConfig,
  entity: EntityName,
  connection: string,
  object: string,
  schema: ObjectSchema,
): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const fields = new Map(schema.fields.map((f) => [f.name, f]));
  const byField = new Map(config.objects[entity]?.fields.map((f) => [f.unified, f]));
  const table = fieldTable(config, entity, connection, object);
  const at = { entity, connection, object };
  for (const mapped of table) {
    const path = fieldPath(config, entity, mapped.unified, connection, object);
    for (const name of mapped.externals) {
      // Associations are no fields: the connector reads them with each page.
      if (isAssociation(name)) continue;
      const field = fields.get(name);
      if (field === undefined) {
        const guess = closest(name, fields.keys());
        problems.push({
          ...at,
          field: name,
          kind: 'missing-field',
          message: `no such field${guess ? ` (did you mean ${guess}?)` : ''}, mapped to ${mapped.unified}`,
          fix: guess
            ? `name the field ${guess}, or create ${name} in ${connection}`
            : `create the field ${name} in ${connection} ${object} (and let the API user see it${mapped.writable ? ': crm-bridge setup --apply does both' : ''}), or map another`,
          path,
          severity: 'error',
        });
        continue;
      }
      if (mapped.writable && !field.writable) {
        problems.push({
          ...at,
          field: name,
          kind: 'read-only',
          message: `is read-only, but rule ${mapped.rule} writes ${mapped.unified} to it`,
          fix: `use rule none, or one-way from ${connection}`,
          path: [...path.slice(0, 4), 'rule'],
          severity: 'error',
        });
      }
      const mapName = byField.get(mapped.unified)?.values;
      if (mapName === undefined || field.picklist === undefined || !mapped.writable) continue;
      const active = new Set(field.picklist.filter((p) => p.active).map((p) => p.value));
      for (const { value, path: entryPath } of writtenValues(config, mapName, connection)) {
        if (active.has(value)) continue;
        const guess = closest(value, active);
        problems.push({
          ...at,
          field: name,
          kind: 'picklist-value',
          message: `value map ${mapName} writes ${JSON.stringify(value)}, not an active value of this picklist`,
          fix: guess
            ? `write ${JSON.stringify(guess)} instead, or add ${JSON.stringify(value)} to the picklist`
            : `add ${JSON.stringify(value)} to the picklist, or write one of its values`,
          path: entryPath,
          severity: 'error',
        });
      }
    }
  }
  const twin = twinField(config, entity, connection);
  if (twin !== undefined) {
    const field = fields.get(twin);
    const make = `${profileOf(config, connection).twinIdFix.replace('{field}', twin).replace('{object}', object)} (crm-bridge setup --apply does it)`;
    if (field === undefined || !field.writable)
      problems.push({
        ...at,
        field: twin,
        kind: field === undefined ? 'missing-field' : 'read-only',
        message:
          field === undefined
            ? "no such field, named by twinId to hold each record's twin id"
            : "is read-only, but twinId writes each record's twin id to it",
        fix: make,
        path: ['objects', entity, 'twinId', connection],
        severity: 'error',
      });
  }
  // A create fails without a required field: each must be written, and filled when the unified value is blank.
  const written = new Map<string, string>();
  for (const mapped of table)
    if (mapped.writable)
      for (const name of mapped.externals) if (!isAssociation(name)) written.set(name, mapped.unified);
  for (const field of schema.fields) {
    if (!field.required || !field.writable) continue;
    const unified = written.get(field.name);
    if (unified === undefined) {
      problems.push({
        ...at,
        field: field.name,
        kind: 'required-field',
        message: `is required to create a record, and nothing is written to it`,
        fix: `map a unified field to ${field.name}, with { default: { ${connection}: <value> } } for records without one`,
        path: ['objects', entity, 'fields'],
        severity: 'warning',
      });
    } else if (!hasDefault(config, entity, unified, connection)) {
      problems.push({
        ...at,
        field: field.name,
        kind: 'required-field',
        message: `is required to create a record, and ${unified} can be empty`,
        fix: `add { default: { ${connection}: <value> } } to the transforms of ${unified}`,
        path: fieldPath(config, entity, unified, connection, object).slice(0, 4),
        severity: 'warning',
      });
    }
  }
  return problems;
}

/**
 * Each problem as one line: where in the config file (`file:line:column` and path) when the file is given (read
 * from disk unless its text is), what is wrong in which CRM object, and the fix.
 */
export function formatProblems(
  problems: readonly CheckProblem[],
  configFile?: string,
  text?: string,
): string[] {
  let source: YamlSource | undefined;
  if (configFile !== undefined) {
    try {
      source = new YamlSource(text ?? readFileSync(configFile, 'utf8'), configFile);
    } catch {
      source = undefined;
    }
  }
  return problems.map((p) => {
    const what = `${p.connection} ${p.object}${p.field ? `.${p.field}` : ''} ${p.message}; fix: ${p.fix}`;
    return source === undefined ? what : formatIssue(source.issueAt(p.path, what));
  });
}
