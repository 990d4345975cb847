import { descriptorOf, isSystemName, type SystemName } from '../../connectors/index.ts';
import { ENTITIES, type EntityName, FIELD_CATALOG } from '../model/index.ts';
import { closest } from './suggest.ts';
import type { PathSegment, Report } from './yaml-source.ts';

const FIELD_KEYS = new Set(['unified', 'rule', 'transform', 'values', 'type', 'onInvalid']);
const ENTITY_KEYS = new Set(['match', 'deletes', 'twinId', 'fields']);
const CUSTOM_NAME = /^custom\.[A-Za-z][A-Za-z0-9_]*$/;

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (items: Iterable<string>) => [...items].join(', ');

/** The sync rules valid for a pair of connections, spelled out for messages. */
export function validRules(connections: readonly string[]): string[] {
  const rules = ['two-way', 'none', 'policy'];
  for (const c of connections) rules.push(`prefer:${c}`);
  for (const c of connections) rules.push(`always:${c}`);
  for (const from of connections)
    for (const to of connections) if (from !== to) rules.push(`one-way:${from}->${to}`);
  return rules;
}

/** Whether a field with this rule is ever written to `connection` (rules are assumed valid). */
export function writesTo(rule: string, connection: string): boolean {
  if (rule === 'none') return false;
  if (rule.startsWith('always:')) return rule !== `always:${connection}`;
  if (rule.startsWith('one-way:')) return rule.endsWith(`->${connection}`);
  return true;
}

/** Cross-reference checks no structural schema can express: names that must point at something that exists. */
export function checkConfig(raw: unknown, report: Report): void {
  if (!isRecord(raw)) return;
  // Every named connection counts, even one whose system is misspelled: that mistake is reported once, by the schema.
  const connections = new Map<string, SystemName | undefined>();
  if (isRecord(raw.connections)) {
    for (const [name, conn] of Object.entries(raw.connections)) {
      const system = isRecord(conn) ? conn.system : undefined;
      connections.set(name, isSystemName(system) ? system : undefined);
    }
  }
  const known = () => `expected one of ${list(connections.keys())}`;
  const pair = isRecord(raw.sync) && Array.isArray(raw.sync.pair) ? raw.sync.pair : [];
  for (const [index, name] of pair.entries()) {
    if (typeof name === 'string' && !connections.has(name) && isRecord(raw.connections))
      report(['sync', 'pair', index], `unknown connection; ${known()}`, { withFound: true });
  }
  if (pair.length === 2 && pair[0] === pair[1])
    report(['sync', 'pair', 1], 'a pair needs two different connections');

  const valueMaps = isRecord(raw.valueMaps) ? raw.valueMaps : {};
  for (const [mapName, entries] of Object.entries(valueMaps)) {
    if (!isRecord(entries)) continue;
    const fallback = entries.fallback;
    if (
      typeof fallback === 'string' &&
      !isRecord(entries[fallback]) &&
      !(fallback in entries && fallback !== 'fallback')
    )
      report(
        ['valueMaps', mapName, 'fallback'],
        `unknown value "${fallback}"; expected one of the map's values (${list(Object.keys(entries).filter((k) => k !== 'fallback' && k !== 'passthrough'))})`,
      );
    for (const [value, target] of Object.entries(entries)) {
      if (!isRecord(target)) continue;
      for (const conn of Object.keys(target)) {
        if (!connections.has(conn))
          report(
            ['valueMaps', mapName, value, conn],
            `unknown connection "${conn}" in value map; ${known()}`,
            { onKey: true },
          );
      }
    }
  }

  if (!isRecord(raw.objects)) return;
  const paired = pair.filter((name): name is string => typeof name === 'string' && connections.has(name));
  for (const entity of ENTITIES) {
    const mapping = raw.objects[entity];
    if (isRecord(mapping)) checkEntity(entity, mapping, { connections, paired, valueMaps, report });
  }
}

interface Context {
  readonly connections: ReadonlyMap<string, SystemName | undefined>;
  readonly paired: readonly string[];
  readonly valueMaps: Raw;
  readonly report: Report;
}

function checkEntity(entity: EntityName, mapping: Raw, ctx: Context): void {
  const { connections, report } = ctx;
  const base: PathSegment[] = ['objects', entity];
  const objectsOf = new Map<string, string[]>();
  if (isRecord(mapping.twinId)) {
    for (const conn of Object.keys(mapping.twinId))
      if (!(conn in mapping))
        report([...base, 'twinId', conn], `"${conn}" is not a connection this entity maps`, { onKey: true });
  }
  for (const [key, value] of Object.entries(mapping)) {
    if (ENTITY_KEYS.has(key)) continue;
    const system = connections.get(key);
    if (!connections.has(key)) {
      report(
        [...base, key],
        `unknown key "${key}"; expected match, deletes, twinId, fields or a connection name (${list(connections.keys())})`,
        { onKey: true },
      );
      continue;
    }
    const allowed: readonly string[] | undefined = system && descriptorOf(system).objects[entity];
    const names = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    for (const [index, name] of names.entries()) {
      if (allowed && typeof name === 'string' && !allowed.includes(name)) {
        const at = typeof value === 'string' ? [...base, key] : [...base, key, index];
        report(at, `unknown ${system} object for ${entity}; expected one of ${list(allowed)}`, {
          withFound: true,
        });
      }
    }
    objectsOf.set(
      key,
      names.filter((n): n is string => typeof n === 'string'),
    );
  }
  for (const conn of ctx.paired) {
    if (!objectsOf.has(conn)) report(base, `missing the ${conn} objects: name them with "${conn}: <object>"`);
  }

  const catalog = FIELD_CATALOG[entity];
  const isUnified = (name: string) => catalog.has(name) || CUSTOM_NAME.test(name);
  if (Array.isArray(mapping.match)) {
    for (const [index, name] of mapping.match.entries()) {
      if (typeof name === 'string' && !isUnified(name))
        report(
          [...base, 'match', index],
          `unknown unified field for ${entity}${suggest(name, catalog.keys())}`,
          { withFound: true },
        );
    }
  }
  if (!Array.isArray(mapping.fields)) return;

  const rules = validRules([...objectsOf.keys()]);
  const unifiedSeen = new Map<string, number>();
  const targets = new Map<string, { index: number; split: boolean }>();
  for (const [index, field] of mapping.fields.entries()) {
    if (!isRecord(field)) continue;
    const at: PathSegment[] = [...base, 'fields', index];
    const unified = field.unified;
    if (typeof unified === 'string') {
      if (!isUnified(unified)) {
        report([...at, 'unified'], `unknown unified field for ${entity}${suggest(unified, catalog.keys())}`, {
          withFound: true,
        });
      }
      const first = unifiedSeen.get(unified);
      if (first !== undefined)
        report(
          [...at, 'unified'],
          `duplicate unified field "${unified}" (already mapped by fields[${first}])`,
        );
      else unifiedSeen.set(unified, index);
      if (field.type !== undefined && !unified.startsWith('custom.'))
        report(
          [...at, 'type'],
          `"type" is only for custom.* fields; ${unified} is typed by the unified model`,
        );
    }
    if (typeof field.rule === 'string' && !rules.includes(field.rule)) {
      report([...at, 'rule'], `expected one of ${list(rules)}`, { withFound: true });
    }
    if (typeof field.values === 'string' && !(field.values in ctx.valueMaps)) {
      const names = Object.keys(ctx.valueMaps);
      report(
        [...at, 'values'],
        `unknown value map; expected one of ${names.length > 0 ? list(names) : '(none defined under valueMaps)'}`,
        {
          withFound: true,
        },
      );
    }
    const onInvalid = field.onInvalid;
    const mapName = typeof field.values === 'string' ? field.values : undefined;
    const map = mapName === undefined ? undefined : ctx.valueMaps[mapName];
    if (isRecord(onInvalid) && isRecord(map) && map.passthrough !== true) {
      const fallbackValue = onInvalid.default;
      const values = Object.keys(map).filter((k) => k !== 'fallback' && k !== 'passthrough');
      if (typeof fallbackValue === 'string' && !values.includes(fallbackValue))
        report(
          [...at, 'onInvalid', 'default'],
          `unknown value "${fallbackValue}" for value map ${mapName}; expected one of ${list(values)}`,
        );
    }
    const transforms = Array.isArray(field.transform) ? field.transform : [];
    const joins = transforms.some((t) => isRecord(t) && 'join' in t);
    const split = transforms.some((t) => isRecord(t) && 'split' in t);
    for (const [t, transform] of transforms.entries()) {
      if (!isRecord(transform) || !isRecord(transform.default)) continue;
      for (const conn of Object.keys(transform.default)) {
        if (!(conn in field)) {
          report(
            [...at, 'transform', t, 'default', conn],
            `"${conn}" is not a connection this field maps (${list(Object.keys(field).filter((k) => connections.has(k)))})`,
            { onKey: true },
          );
        }
      }
    }
    for (const [key, value] of Object.entries(field)) {
      if (FIELD_KEYS.has(key)) continue;
      if (!connections.has(key)) {
        report(
          [...at, key],
          `unknown key "${key}"; expected unified, rule, transform, values, type, onInvalid or a connection name (${list(connections.keys())})`,
          { onKey: true },
        );
        continue;
      }
      const objects = objectsOf.get(key) ?? [];
      const duplicates = new Map<string, { at: PathSegment[]; objects: string[]; previous: number }>();
      const perObject: [string, unknown][] = isRecord(value)
        ? Object.entries(value)
        : objects.map((o) => [o, value]);
      for (const [object, names] of perObject) {
        const fieldAt = isRecord(value) ? [...at, key, object] : [...at, key];
        if (isRecord(value) && !objects.includes(object)) {
          report(
            [...at, key, object],
            `"${object}" is not one of the ${key} objects of ${entity} (${list(objects)})`,
            { onKey: true },
          );
          continue;
        }
        if (Array.isArray(names) && !joins)
          report(fieldAt, 'several external fields need a { join: <separator> } transform');
        if (typeof names === 'string' && joins)
          report(fieldAt, 'a { join } transform needs a list of external fields');
        const rule = typeof field.rule === 'string' ? field.rule : 'two-way';
        for (const name of Array.isArray(names) ? names : [names]) {
          if (typeof name !== 'string' || !writesTo(rule, key)) continue;
          const target = `${key}:${object}.${name}`;
          const previous = targets.get(target);
          if (previous && !(previous.split && split)) {
            const duplicate = duplicates.get(name) ?? { at: fieldAt, objects: [], previous: previous.index };
            duplicate.objects.push(object);
            duplicates.set(name, duplicate);
          } else if (!previous) targets.set(target, { index, split });
        }
      }
      for (const [name, d] of duplicates) {
        const where = d.objects.length === 1 ? `${d.objects[0]}.${name}` : `${name} on ${list(d.objects)}`;
        report(d.at, `duplicate target field ${key} ${where} (already mapped by fields[${d.previous}])`);
      }
    }
  }
}

function suggest(name: string, candidates: Iterable<string>): string {
  const best = closest(name, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
