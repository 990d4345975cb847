/**
 * Generated mutations of a YAML file, for fuzzing the config and policy parsers: structural ones made on the parsed
 * data (a key deleted, duplicated or retyped, a value of the wrong type, a huge string, unicode, deep nesting) and
 * textual ones made on the text (anchors and aliases, tags, merge keys, cut or shifted text).
 */

import fc from 'fast-check';
import { parse, stringify } from 'yaml';

type Path = readonly (string | number)[];

/** Every path to a node of the data, the root included. */
export function pathsOf(data: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(data)) for (const [i, v] of data.entries()) out.push(...pathsOf(v, [...at, i]));
  // Only plain mappings are walked: a `!!binary` value parses to a Uint8Array, whose bytes are not keys.
  else if (data !== null && typeof data === 'object' && Object.getPrototypeOf(data) === Object.prototype)
    for (const [k, v] of Object.entries(data)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

/** Strings a user or an attacker may write into a YAML value. */
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '~',
    'yes',
    '0x1F',
    '1e400',
    '-0',
    'NaN',
    '\u0000',
    '\u202e',
    '\ud800',
    '🧨🧨',
    'Ｅｍａｉｌ',
    "' OR Id != null",
    'env:',
    'env:HOME',
    '../../../../etc/passwd',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template a config must never evaluate
    '${process.exit(1)}',
    '{{constructor.constructor("return process")()}}',
    '__proto__',
  ),
);

/** A value of any JSON type, sometimes huge or deeply nested. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.nat({ max: 400 }).map((depth) => {
    let v: unknown = 'deep';
    for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
    return v;
  }),
  fc.dictionary(nasty, nasty, { maxKeys: 3 }),
);

export type Mutation =
  | { kind: 'delete' | 'duplicate'; pick: number }
  | { kind: 'set'; pick: number; value: unknown }
  | { kind: 'rename'; pick: number; key: string }
  | { kind: 'text'; trick: string; at: number };

/** YAML-level tricks, inserted as text at a line boundary. */
const TRICKS = [
  'bomb: &a ["x","x","x","x","x","x","x","x","x"]\nb2: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nb3: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nb4: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nb5: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
  'fn: !!js/function "function () { process.exit(1) }"\n',
  'rx: !!js/regexp /(a+)+$/\n',
  'undef: !!js/undefined ""\n',
  'bin: !!binary aGVsbG8=\n',
  'when: !!timestamp 2001-12-14t21:59:43.10-05:00\n',
  'custom: !crm-bridge/read /etc/passwd\n',
  'file: !include /etc/passwd\n',
  'set: !!set { a, b }\n',
  'omap: !!omap [ a: 1 ]\n',
  'base: &base { x: 1 }\nmerged: { <<: *base, y: 2 }\n',
  '<<: *nowhere\n',
  'alias: *undefined_anchor\n',
  '%TAG ! tag:example.com,2000:\n',
  '--- !!map\n',
  '---\nsecond: document\n',
  '? [complex, key]\n: value\n',
  '"\\u0000": nul key\n',
  '\t tabbed: value\n',
  `nested: ${'['.repeat(2000)}${']'.repeat(2000)}\n`,
  `nested: ${'{a: '.repeat(500)}1${'}'.repeat(500)}\n`,
  'connections: { sf: { accessToken: !!str env:SALESFORCE_ACCESS_TOKEN } }\n',
  '\uFEFF',
  '...\n',
  "key: 'unterminated\n",
];

export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: anyValue }),
    fc.record({ kind: fc.constant('rename' as const), pick: fc.nat(), key: nasty }),
    fc.record({
      kind: fc.constant('text' as const),
      trick: fc.oneof(fc.constantFrom(...TRICKS), nasty),
      at: fc.nat(),
    }),
  ),
  { minLength: 1, maxLength: 4 },
);

const bases = new Map<string, unknown>();

/** The shipped file's data, parsed once: most mutations start from it. */
function baseData(text: string): { text: string; data: unknown } {
  if (!bases.has(text)) bases.set(text, parse(text, { logLevel: 'silent' }));
  return { text, data: bases.get(text) };
}

function parentOf(root: unknown, path: Path): unknown {
  let node = root;
  for (const step of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[step];
  return node;
}

/**
 * The data written back as YAML, or undefined when the writer's recursion runs out of stack: data nested thousands
 * deep (a textual trick, then a deep value set inside it) parses but cannot be written, and the mutation is skipped.
 */
function dump(data: unknown, lineWidth?: number): string | undefined {
  try {
    return stringify(data, lineWidth === undefined ? undefined : { lineWidth });
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Applies mutations to a YAML text: structural ones through its data, textual ones to the text. */
export function mutate(text: string, list: readonly Mutation[]): string {
  let current = text;
  let parsed: { text: string; data: unknown } | undefined = baseData(text);
  for (const m of list) {
    if (m.kind === 'text') {
      const lines = current.split('\n');
      const at = m.at % (lines.length + 1);
      // Every third textual mutation cuts the text off instead, mid-line.
      if (m.at % 3 === 0) current = current.slice(0, m.at % (current.length + 1)) + m.trick;
      else current = [...lines.slice(0, at), m.trick, ...lines.slice(at)].join('\n');
      continue;
    }
    let data: unknown;
    if (parsed?.text === current) data = structuredClone(parsed.data);
    else {
      try {
        data = parse(current, { maxAliasCount: 100, uniqueKeys: false, logLevel: 'silent' });
      } catch {
        continue; // already broken text: structural mutations have nothing to work on
      }
    }
    parsed = undefined;
    const paths = pathsOf(data).filter((p) => p.length > 0);
    const path = paths[m.pick % Math.max(1, paths.length)];
    if (path === undefined) continue;
    const parent = parentOf(data, path) as Record<string | number, unknown> | unknown[];
    const last = path[path.length - 1] as string | number;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete (parent as Record<string, unknown>)[last];
      current = dump(data) ?? current;
    } else if (m.kind === 'set') {
      (parent as Record<string | number, unknown>)[last] = m.value;
      current = dump(data, 0) ?? current;
    } else if (m.kind === 'rename' && !Array.isArray(parent)) {
      const record = parent as Record<string, unknown>;
      record[m.key] = record[last];
      if (m.key !== last) delete record[last];
      current = dump(data) ?? current;
    } else if (m.kind === 'duplicate') {
      // A key written twice: YAML allows the text, the parsers must refuse it.
      const lines = current.split('\n');
      const index = m.pick % Math.max(1, lines.length);
      const line = lines[index] ?? '';
      current = [...lines.slice(0, index + 1), line, ...lines.slice(index + 1)].join('\n');
    }
  }
  return current;
}
