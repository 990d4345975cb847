import { isMap, isScalar, parseDocument } from 'yaml';
import { parseConfig } from '../src/config/load.ts';
import { type BridgeConfig, VALUE_MAP_SETTINGS, type ValueMapEntry } from '../src/config/schema.ts';
import { formatIssue } from '../src/config/yaml-source.ts';

/** One row of the value-map form: a unified value and its external value(s) per connection. */
export interface ValueMapRow {
  readonly unified: string;
  /** Per connection, the values in the form's order (the first is the one written; the others read as aliases). */
  readonly values: Readonly<Record<string, readonly string[]>>;
}

/** A value map as the form shows it: one row per entry, each connection's values spelled out. */
export function rowsOf(config: BridgeConfig, name: string): ValueMapRow[] | undefined {
  const map = config.valueMaps[name];
  if (map === undefined) return undefined;
  const connections = config.sync.pair;
  return Object.entries(map)
    .filter(([key]) => !(VALUE_MAP_SETTINGS as readonly string[]).includes(key))
    .map(([unified, entry]) => ({ unified, values: perConnection(entry as ValueMapEntry, connections) }));
}

const list = (target: unknown): string[] =>
  target === undefined || target === null
    ? []
    : Array.isArray(target)
      ? target.map(String)
      : [String(target)];

function perConnection(entry: ValueMapEntry, connections: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const shared = typeof entry !== 'object' || entry === null || Array.isArray(entry);
  for (const c of connections) out[c] = shared ? list(entry) : list((entry as Record<string, unknown>)[c]);
  return out;
}

/** The rows a submitted form holds (`row.<n>.unified`, `row.<n>.<connection>`, `row.<n>.remove`). */
export function rowsFromForm(form: URLSearchParams, connections: readonly string[]): ValueMapRow[] {
  const numbers = new Set<number>();
  for (const key of form.keys()) {
    const n = /^row\.(\d+)\.unified$/.exec(key)?.[1];
    if (n !== undefined) numbers.add(Number(n));
  }
  return [...numbers]
    .sort((a, b) => a - b)
    .filter((n) => form.get(`row.${n}.remove`) === null)
    .map((n) => ({
      unified: (form.get(`row.${n}.unified`) ?? '').trim(),
      values: Object.fromEntries(
        connections.map((c) => [
          c,
          (form.get(`row.${n}.${c}`) ?? '')
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== ''),
        ]),
      ),
    }))
    .filter((row) => row.unified !== '' || Object.values(row.values).some((v) => v.length > 0));
}

/** The edited config text, or the mistakes that keep it from being saved. */
export type ValueMapEdit =
  | { readonly ok: true; readonly text: string; readonly changed: boolean }
  | { readonly ok: false; readonly problems: readonly string[] };

const sameValues = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** A scalar as YAML: plain where that reads back as the same string, double-quoted (JSON) otherwise. */
function scalar(value: string): string {
  const plain =
    /^[A-Za-z_][\w ./()&+-]*$/.test(value) &&
    !/\s$/.test(value) &&
    !/ #|: /.test(value) &&
    !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** An entry's value as a one-line flow mapping, in the style of config/example.yaml: `{ sf: Energy, hs: [A, B] }`. */
function flowEntry(
  values: Readonly<Record<string, readonly string[]>>,
  connections: readonly string[],
): string {
  const parts = connections
    .filter((c) => (values[c] ?? []).length > 0)
    .map((c) => {
      const v = values[c] ?? [];
      return `${c}: ${v.length === 1 ? scalar(v[0] as string) : `[${v.map(scalar).join(', ')}]`}`;
    });
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Writes a value map's rows into the config text, so that every comment, blank line and flow mapping the admin wrote
 * stays byte for byte: the YAML document gives each entry's place in the text, entries left unchanged are not
 * touched, a changed entry's value is rewritten as `{ sf: …, hs: … }`, a removed entry's line goes, and new entries
 * are added after the map's last one, at its indentation. The result must validate as a whole config before it can
 * be saved.
 */
export function editValueMap(
  text: string,
  file: string,
  name: string,
  rows: readonly ValueMapRow[],
  connections: readonly string[],
): ValueMapEdit {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.unified === '') problems.push('a row has external values but no unified value');
    else if ((VALUE_MAP_SETTINGS as readonly string[]).includes(row.unified))
      problems.push(`"${row.unified}" is a setting of value maps, not a value`);
    else if (seen.has(row.unified)) problems.push(`the unified value "${row.unified}" is listed twice`);
    seen.add(row.unified);
  }
  if (problems.length > 0) return { ok: false, problems };
  const before = parseConfig(text, file);
  if (!before.ok) return { ok: false, problems: before.issues.map(formatIssue) };
  const current = new Map((rowsOf(before.value, name) ?? []).map((r) => [r.unified, r]));

  const doc = parseDocument(text);
  const node = doc.getIn(['valueMaps', name], true);
  if (!isMap(node) || node.items.length === 0)
    return { ok: false, problems: [`${file}: valueMaps.${name} is not a mapping with entries`] };
  if (node.flow)
    return {
      ok: false,
      problems: [`${file}: valueMaps.${name} is written on one line ({ … }); edit it in the file`],
    };
  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = (at: number) => {
    const end = text.indexOf('\n', at);
    return end === -1 ? text.length : end;
  };
  const splices: Splice[] = [];
  let last = 0;
  let indent = '';
  for (const pair of node.items) {
    const key = pair.key;
    if (!isScalar(key) || key.range === undefined || key.range === null) continue;
    const unified = String(key.value);
    const value = pair.value as { range?: [number, number, number] } | null;
    const valueEnd = value?.range?.[1] ?? key.range[1];
    last = Math.max(last, lineEnd(valueEnd));
    indent = text.slice(lineStart(key.range[0]), key.range[0]);
    if ((VALUE_MAP_SETTINGS as readonly string[]).includes(unified)) continue;
    if (!seen.has(unified)) {
      splices.push({
        start: lineStart(key.range[0]),
        end: Math.min(text.length, lineEnd(valueEnd) + 1),
        text: '',
      });
      continue;
    }
    const row = rows.find((r) => r.unified === unified) as ValueMapRow;
    const old = current.get(unified);
    if (old !== undefined && connections.every((c) => sameValues(old.values[c] ?? [], row.values[c] ?? [])))
      continue;
    const replaced = flowEntry(row.values, connections);
    if (value?.range) splices.push({ start: value.range[0], end: value.range[1], text: replaced });
    else splices.push({ start: key.range[1], end: key.range[1], text: ` ${replaced}` });
  }
  const added = rows
    .filter((r) => !current.has(r.unified))
    .map((r) => `\n${indent}${scalar(r.unified)}: ${flowEntry(r.values, connections)}`)
    .join('');
  if (added !== '') splices.push({ start: last, end: last, text: added });
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start))
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
  const after = parseConfig(out, file);
  if (!after.ok) return { ok: false, problems: after.issues.map(formatIssue) };
  return { ok: true, text: out, changed: out !== text };
}
