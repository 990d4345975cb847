import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type * as z from 'zod';
import { closest } from './suggest.ts';

/** One problem in a config file, located in the file and in the config's structure. */
export interface ConfigIssue {
  /** The file as the user named it. */
  readonly file: string;
  /** 1-based line and column of the offending node (or of its parent when a key is missing). */
  readonly line: number;
  readonly column: number;
  /** The config path, e.g. `objects.person.fields[3].rule`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

export type PathSegment = string | number;

/**
 * Every issue a check found, reported through this callback. `withFound` appends `; got <value at path>`; `onKey`
 * points at the key of the last path step rather than at its value (for keys that should not be there).
 */
export type Report = (
  path: readonly PathSegment[],
  message: string,
  options?: { withFound?: boolean; onKey?: boolean },
) => void;

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatIssue(issue: ConfigIssue): string {
  // A problem with the file itself (it cannot be read) has no position in it.
  const where = issue.line === 0 ? `${issue.file}:` : `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path === '' ? `${where} ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  record: 'a mapping',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

/** A value quoted for a message; a long one (a pasted blob) is cut, saying how long it was. */
function quoteShort(value: string): string {
  const LIMIT = 120;
  return value.length <= LIMIT
    ? JSON.stringify(value)
    : `${JSON.stringify(value.slice(0, LIMIT))}… (${value.length} characters)`;
}

/** The most alias expansions a document may hold: a config needs few, a "billion laughs" needs millions. */
const MAX_ALIASES = 100;

/** A parsed YAML document that can say where a config path is and what is written there. */
export class YamlSource {
  readonly #lines = new LineCounter();
  readonly #doc;
  #converted: { ok: true; value: unknown } | { ok: false } | undefined;
  readonly file: string;

  constructor(text: string, file: string) {
    this.file = file;
    // Warnings (an unknown tag) are reported as issues below, never printed by the parser itself.
    this.#doc = parseDocument(text, {
      lineCounter: this.#lines,
      prettyErrors: true,
      uniqueKeys: true,
      logLevel: 'error',
    });
  }

  /**
   * YAML syntax errors, tags crm-bridge does not read (`!!js/function`, `!include`: a config holds plain values and
   * nothing in it runs or reads a file) and aliases that expand past the limit, each with its position.
   */
  syntaxIssues(): ConfigIssue[] {
    const tags = this.#doc.warnings
      .filter((warning) => warning.code === 'TAG_RESOLVE_FAILED')
      .map((warning) => {
        const pos = warning.linePos?.[0] ?? { line: 1, col: 1 };
        const resolved = /Unresolved tag: (\S+)/.exec(warning.message)?.[1] ?? 'a tag';
        // Written as the user wrote it: !!js/function, not tag:yaml.org,2002:js/function.
        const tag = resolved.replace(/^tag:yaml\.org,2002:/, '!!');
        return {
          file: this.file,
          line: pos.line,
          column: pos.col,
          path: '',
          message: `unknown YAML tag ${tag}: a config holds plain values (text, numbers, true/false, lists, mappings); remove the tag`,
        };
      });
    const syntax = [...this.#syntaxErrors(), ...tags];
    return syntax.length > 0 ? syntax : this.#aliasIssues();
  }

  /** Aliases that make the document expand past MAX_ALIASES nodes (a "billion laughs"), at the first alias. */
  #aliasIssues(): ConfigIssue[] {
    if (this.#plain().ok) return [];
    let offset = 0;
    visit(this.#doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const pos = this.#lines.linePos(offset);
    return [
      {
        file: this.file,
        line: pos.line,
        column: pos.col,
        path: '',
        message: `invalid YAML: its aliases expand to more than ${MAX_ALIASES} copies; write the values out`,
      },
    ];
  }

  #syntaxErrors(): ConfigIssue[] {
    return this.#doc.errors.map((error) => {
      const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
      const first = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
      // The YAML reader recurses per level: lists or mappings nested thousands deep exhaust its stack.
      const message = first.includes('Maximum call stack size exceeded')
        ? 'nested too deeply to read; a config needs a few levels, not thousands'
        : first;
      return {
        file: this.file,
        line: pos.line,
        column: pos.col,
        path: '',
        message: `invalid YAML: ${message}`,
      };
    });
  }

  /** The document as plain data (only meaningful when there are no syntax issues; undefined when aliases expand too far). */
  data(): unknown {
    const plain = this.#plain();
    return plain.ok ? plain.value : undefined;
  }

  /** The document as plain data, converted once; not ok when its aliases expand past MAX_ALIASES. */
  #plain(): { ok: true; value: unknown } | { ok: false } {
    if (this.#converted === undefined) {
      try {
        this.#converted = { ok: true, value: this.#doc.toJS({ maxAliasCount: MAX_ALIASES }) };
      } catch (error) {
        if (!(error instanceof ReferenceError)) throw error;
        this.#converted = { ok: false };
      }
    }
    return this.#converted;
  }

  /** The node at `path`, or the deepest existing ancestor, and the key node when the last step is a map key. */
  #resolve(path: readonly PathSegment[], preferKey: boolean): Node | undefined {
    let node: unknown = this.#doc.contents;
    for (const [index, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) return node;
        if (preferKey && index === path.length - 1 && isScalar(pair.key)) return pair.key;
        if (pair.value === null) return isScalar(pair.key) ? pair.key : node;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined || isPair(item)) return node;
        node = item;
      } else break;
    }
    return (node as Node | null) ?? undefined;
  }

  /** Whether something is written at exactly `path`. */
  has(path: readonly PathSegment[]): boolean {
    return this.#doc.hasIn(path);
  }

  /** An issue at `path`; `onKey` points at the key itself (for unknown keys). */
  issueAt(path: readonly PathSegment[], message: string, onKey = false): ConfigIssue {
    const node = this.#resolve(path, onKey);
    const offset = node?.range?.[0] ?? 0;
    const pos = this.#lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col, path: formatPath(path), message };
  }

  /** The keys of the mapping at `path` (none when something else is there). */
  keysAt(path: readonly PathSegment[]): string[] {
    const node = path.length === 0 ? this.#doc.contents : this.#doc.getIn(path, true);
    return isMap(node)
      ? node.items.flatMap((item) => (isScalar(item.key) ? [String(item.key.value)] : []))
      : [];
  }

  /** What is written at `path`, for "got …" in messages. */
  found(path: readonly PathSegment[]): string {
    if (!this.#doc.hasIn(path)) return 'nothing';
    const node = this.#doc.getIn(path, true);
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    if (isScalar(node)) {
      if (node.value === null) return 'nothing';
      return typeof node.value === 'string' ? quoteShort(node.value) : String(node.value);
    }
    return 'nothing';
  }

  /** Translates one zod issue into config issues with positions and a message an admin can act on. */
  zodIssues(issue: z.core.$ZodIssue, base: readonly PathSegment[] = []): ConfigIssue[] {
    const path = [...base, ...(issue.path as PathSegment[])];
    const got = () => `; got ${this.found(path)}`;
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => this.issueAt([...path, key], `unknown key "${key}"`, true));
      case 'invalid_type':
        if (!this.has(path)) return [this.issueAt(path, `missing required key "${String(path.at(-1))}"`)];
        return [this.issueAt(path, `expected ${EXPECTED[issue.expected] ?? issue.expected}${got()}`)];
      case 'invalid_value':
        if (!this.has(path)) return [this.issueAt(path, `missing required key "${String(path.at(-1))}"`)];
        return [this.issueAt(path, `expected ${describeValues(issue.values)}${got()}`)];
      case 'invalid_union': {
        const discriminated = issue as { discriminator?: string; options?: unknown[] };
        const key = discriminated.discriminator;
        if (key !== undefined && discriminated.options !== undefined) {
          // zod names the discriminator in the path already, or not, depending on what it found there.
          const parent = path.at(-1) === key ? path.slice(0, -1) : path;
          const at = [...parent, key];
          const expected = describeValues(discriminated.options);
          if (this.has(at)) return [this.issueAt(at, `expected ${expected}; got ${this.found(at)}`)];
          const typo = closest(key, this.keysAt(parent));
          return typo === undefined
            ? [this.issueAt(parent, `missing required key "${key}" (${expected})`)]
            : [
                this.issueAt(
                  [...parent, typo],
                  `unknown key "${typo}": did you mean "${key}" (${expected})?`,
                  true,
                ),
              ];
        }
        return this.unionIssues(issue, path);
      }
      case 'too_small':
        if (issue.origin === 'array')
          return [this.issueAt(path, `expected at least ${issue.minimum} items${got()}`)];
        if (issue.origin === 'string') return [this.issueAt(path, `expected a non-empty string${got()}`)];
        return [this.issueAt(path, `expected at least ${issue.minimum}${got()}`)];
      case 'too_big':
        if (issue.origin === 'array')
          return [this.issueAt(path, `expected at most ${issue.maximum} items${got()}`)];
        return [this.issueAt(path, `expected at most ${issue.maximum}${got()}`)];
      case 'invalid_format':
        return [this.issueAt(path, `${issue.message}${got()}`)];
      case 'custom':
        return [this.issueAt(path, issue.message)];
      default:
        return [this.issueAt(path, `${issue.message}${got()}`)];
    }
  }

  /** A union failed: report the branch that got furthest, or what every branch expected. */
  private unionIssues(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[]): ConfigIssue[] {
    const depth = (branch: z.core.$ZodIssue[]) => Math.max(0, ...branch.map((i) => i.path.length));
    const typeOnly = (branch: z.core.$ZodIssue[]) =>
      branch.every((i) => (i.code === 'invalid_type' || i.code === 'invalid_value') && i.path.length === 0);
    const structural = issue.errors.filter((branch) => !typeOnly(branch));
    const deepest = structural.sort((a, b) => depth(b) - depth(a))[0];
    if (deepest && structural.length === 1) return deepest.flatMap((inner) => this.zodIssues(inner, path));
    if (deepest && depth(deepest) > 0 && structural.filter((b) => depth(b) === depth(deepest)).length === 1) {
      return deepest.flatMap((inner) => this.zodIssues(inner, path));
    }
    if (issue.message !== 'Invalid input')
      return [this.issueAt(path, `${issue.message}; got ${this.found(path)}`)];
    const expected = issue.errors.flatMap((branch) =>
      branch.flatMap((i) =>
        i.code === 'invalid_value'
          ? i.values.map(String)
          : i.code === 'invalid_type'
            ? [EXPECTED[i.expected] ?? i.expected]
            : [],
      ),
    );
    return [
      this.issueAt(path, `expected one of ${[...new Set(expected)].join(', ')}; got ${this.found(path)}`),
    ];
  }
}

function describeValues(values: readonly unknown[]): string {
  if (values.length === 1) return JSON.stringify(values[0]);
  return `one of ${values.map((v) => String(v)).join(', ')}`;
}

/**
 * Parses `text`, validates it against `schema`, then runs `semantic` checks over the raw data (so that cross-field
 * mistakes are reported together with structural ones). Returns the typed value or every issue, in file order.
 */
export function validateYaml<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  semantic?: (raw: unknown, report: Report, source: YamlSource) => void,
): Validated<z.infer<S>> {
  const source = new YamlSource(text, file);
  const syntax = source.syntaxIssues();
  if (syntax.length > 0) return { ok: false, issues: syntax };
  const raw = source.data();
  const issues: ConfigIssue[] = [];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) for (const issue of parsed.error.issues) issues.push(...source.zodIssues(issue));
  semantic?.(
    raw,
    (path, message, options) =>
      issues.push(
        source.issueAt(
          path,
          options?.withFound ? `${message}; got ${source.found(path)}` : message,
          options?.onKey,
        ),
      ),
    source,
  );
  if (issues.length > 0 || !parsed.success) return { ok: false, issues: dedupe(sortByPosition(issues)) };
  return { ok: true, value: parsed.data };
}

function sortByPosition(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = formatIssue(issue);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
