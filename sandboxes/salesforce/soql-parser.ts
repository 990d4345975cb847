import { SoqlError, type Token, tokenize } from './soql-lexer.ts';

/** A literal value in a condition. Datetimes are epoch milliseconds, dates `YYYY-MM-DD`. */
export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'datetime'; readonly ms: number }
  | { readonly kind: 'date'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' };

export type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly inner: Condition }
  | { readonly kind: 'compare'; readonly field: string; readonly op: Operator; readonly value: Literal }
  | {
      readonly kind: 'in';
      readonly field: string;
      readonly negated: boolean;
      readonly values: readonly Literal[];
    };

export interface OrderItem {
  readonly field: string;
  readonly descending: boolean;
  /** NULLS LAST (the default for DESC, as in Salesforce). */
  readonly nullsLast: boolean;
}

/** The part of SOQL the sandbox understands: one object, plain fields, conditions, ordering, a limit. */
export interface SoqlQuery {
  /** Selected fields; empty for `SELECT COUNT()`. */
  readonly fields: readonly string[];
  /** True for `SELECT COUNT()`. */
  readonly count: boolean;
  /** The FROM object as written (matched case-insensitively later). */
  readonly object: string;
  readonly where?: Condition;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: number;
}

const OPERATORS = new Set(['=', '!=', '<', '>', '<=', '>=']);
const RESERVED = new Set(['select', 'from', 'where', 'order', 'by', 'limit', 'and', 'or', 'not', 'in']);

/** Parses a SOQL query; throws SoqlError (MALFORMED_QUERY) naming the position of what it cannot read. */
export function parseSoql(soql: string): SoqlQuery {
  return new Parser(tokenize(soql)).query();
}

class Parser {
  readonly #tokens: Token[];
  #i = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  query(): SoqlQuery {
    this.#keyword('select');
    let count = false;
    const fields: string[] = [];
    if (this.#peekKeyword('count')) {
      this.#next();
      this.#punct('(');
      this.#punct(')');
      count = true;
    } else {
      do fields.push(this.#name('a field name'));
      while (this.#acceptPunct(','));
    }
    this.#keyword('from');
    const object = this.#name('an object name');
    const where = this.#acceptKeyword('where') ? this.#or() : undefined;
    const orderBy: OrderItem[] = [];
    if (this.#acceptKeyword('order')) {
      this.#keyword('by');
      do orderBy.push(this.#orderItem());
      while (this.#acceptPunct(','));
    }
    let limit: number | undefined;
    if (this.#acceptKeyword('limit')) {
      const token = this.#next();
      if (token.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0) {
        throw this.#error(token, 'a non-negative integer after LIMIT');
      }
      limit = token.value;
    }
    const end = this.#next();
    if (end.kind !== 'end') throw this.#error(end, 'the end of the query');
    return {
      fields,
      count,
      object,
      orderBy,
      ...(where ? { where } : {}),
      ...(limit !== undefined ? { limit } : {}),
    };
  }

  #orderItem(): OrderItem {
    const field = this.#name('a field name');
    let descending = false;
    if (this.#acceptKeyword('desc')) descending = true;
    else this.#acceptKeyword('asc');
    let nullsLast = descending;
    if (this.#acceptKeyword('nulls')) {
      if (this.#acceptKeyword('last')) nullsLast = true;
      else {
        this.#keyword('first');
        nullsLast = false;
      }
    }
    return { field, descending, nullsLast };
  }

  #or(): Condition {
    let left = this.#and();
    while (this.#acceptKeyword('or')) left = { kind: 'or', left, right: this.#and() };
    return left;
  }

  #and(): Condition {
    let left = this.#not();
    while (this.#acceptKeyword('and')) left = { kind: 'and', left, right: this.#not() };
    return left;
  }

  #not(): Condition {
    if (this.#acceptKeyword('not')) return { kind: 'not', inner: this.#not() };
    if (this.#acceptPunct('(')) {
      const inner = this.#or();
      this.#punct(')');
      return inner;
    }
    return this.#comparison();
  }

  #comparison(): Condition {
    const field = this.#name('a field name');
    const negated = this.#acceptKeyword('not');
    if (negated || this.#peekKeyword('in')) {
      this.#keyword('in');
      this.#punct('(');
      const values: Literal[] = [];
      do values.push(this.#literal());
      while (this.#acceptPunct(','));
      this.#punct(')');
      return { kind: 'in', field, negated, values };
    }
    const token = this.#next();
    if (token.kind !== 'punct' || !OPERATORS.has(token.text)) {
      throw this.#error(token, 'a comparison operator (=, !=, <, >, <=, >=, IN)');
    }
    return { kind: 'compare', field, op: token.text as Operator, value: this.#literal() };
  }

  #literal(): Literal {
    const token = this.#next();
    switch (token.kind) {
      case 'string':
      case 'number':
      case 'date':
        return { kind: token.kind, value: token.value } as Literal;
      case 'datetime':
        return { kind: 'datetime', ms: token.ms };
      case 'ident': {
        const word = token.text.toLowerCase();
        if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
        if (word === 'null') return { kind: 'null' };
        throw this.#error(token, 'a value (bind variables and date functions are not supported here)');
      }
      default:
        throw this.#error(token, 'a value');
    }
  }

  #name(what: string): string {
    const token = this.#next();
    if (token.kind !== 'ident' || RESERVED.has(token.text.toLowerCase())) throw this.#error(token, what);
    if (this.#peekPunct('(')) throw this.#error(token, `${what} (functions are not supported)`);
    return token.text;
  }

  #next(): Token {
    const token = this.#tokens[this.#i] as Token;
    if (token.kind !== 'end') this.#i++;
    return token;
  }

  #peek(): Token {
    return this.#tokens[this.#i] as Token;
  }

  #peekKeyword(word: string): boolean {
    const token = this.#peek();
    return token.kind === 'ident' && token.text.toLowerCase() === word;
  }

  #peekPunct(text: string): boolean {
    const token = this.#peek();
    return token.kind === 'punct' && token.text === text;
  }

  #acceptKeyword(word: string): boolean {
    if (!this.#peekKeyword(word)) return false;
    this.#i++;
    return true;
  }

  #acceptPunct(text: string): boolean {
    if (!this.#peekPunct(text)) return false;
    this.#i++;
    return true;
  }

  #keyword(word: string): void {
    if (!this.#acceptKeyword(word)) throw this.#error(this.#peek(), word.toUpperCase());
  }

  #punct(text: string): void {
    if (!this.#acceptPunct(text)) throw this.#error(this.#peek(), `'${text}'`);
  }

  #error(token: Token, expected: string): SoqlError {
    const found = token.kind === 'end' ? 'the end of the query' : describe(token);
    return new SoqlError(`expected ${expected} at position ${token.at}, found ${found}`);
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'ident':
    case 'punct':
      return `'${token.text}'`;
    case 'string':
      return 'a string';
    default:
      return `a ${token.kind}`;
  }
}
