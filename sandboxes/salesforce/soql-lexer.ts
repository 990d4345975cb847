/** A SOQL token; keywords are identifiers, recognised by the parser case-insensitively. */
export type Token =
  | { readonly kind: 'ident'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'datetime'; readonly ms: number; readonly at: number }
  | { readonly kind: 'date'; readonly value: string; readonly at: number }
  | { readonly kind: 'punct'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

/** Thrown for a query the sandbox cannot read; the route answers MALFORMED_QUERY (or the carried code). */
export class SoqlError extends Error {
  readonly code: string;
  constructor(message: string, code = 'MALFORMED_QUERY') {
    super(message);
    this.code = code;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  "'": "'",
  '"': '"',
  '\\': '\\',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  _: '\\_',
  '%': '\\%',
};

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const PUNCT = /^(<=|>=|!=|<>|[=<>(),])/;

/** Splits SOQL into tokens, decoding string escapes as Salesforce does. */
export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const rest = soql.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      const [value, length] = readString(soql, i);
      tokens.push({ kind: 'string', value, at: i });
      i += length;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      tokens.push({ kind: 'datetime', ms: parseDateTime(datetime[0], i), at: i });
      i += datetime[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ kind: 'date', value: date[0], at: i });
      i += date[0].length;
      continue;
    }
    const match = NUMBER.exec(rest) ?? IDENT.exec(rest) ?? PUNCT.exec(rest);
    if (!match) throw new SoqlError(`unexpected character '${rest[0]}' at position ${i}`);
    const text = match[0];
    if (/^-?\d/.test(text)) tokens.push({ kind: 'number', value: Number(text), at: i });
    else if (IDENT.test(text)) tokens.push({ kind: 'ident', text, at: i });
    else tokens.push({ kind: 'punct', text: text === '<>' ? '!=' : text, at: i });
    i += text.length;
  }
  tokens.push({ kind: 'end', at: soql.length });
  return tokens;
}

function readString(soql: string, start: number): [string, number] {
  let value = '';
  for (let i = start + 1; i < soql.length; i++) {
    const c = soql[i] as string;
    if (c === "'") return [value, i - start + 1];
    if (c === '\\') {
      const next = soql[i + 1] ?? '';
      const decoded = ESCAPES[next];
      if (decoded === undefined) throw new SoqlError(`invalid escape sequence \\${next} at position ${i}`);
      value += decoded;
      i++;
    } else value += c;
  }
  throw new SoqlError(`unterminated string starting at position ${start}`);
}

function parseDateTime(text: string, at: number): number {
  const normalised = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  if (Number.isNaN(ms)) throw new SoqlError(`invalid datetime literal ${text} at position ${at}`);
  return ms;
}
