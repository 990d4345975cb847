import type { SandboxField } from './schema.ts';
import { SoqlError } from './soql-lexer.ts';
import type { Condition, Literal, OrderItem, SoqlQuery } from './soql-parser.ts';
import type { SandboxStore, StoredRecord } from './store.ts';

/** The records a query selects, in order, before paging. */
export interface QueryMatch {
  /** The object's canonical name. */
  readonly object: string;
  /** Selected field names as the schema spells them (Id first when selected). */
  readonly fields: readonly string[];
  /** Matching records, ordered and limited. */
  readonly records: readonly StoredRecord[];
  /** True for `SELECT COUNT()`. */
  readonly count: boolean;
}

/** Runs a parsed query over the store; `includeDeleted` is queryAll. Unknown names fail as Salesforce reports them. */
export function runQuery(store: SandboxStore, query: SoqlQuery, includeDeleted: boolean): QueryMatch {
  const object = store.schema.findObject(query.object);
  if (!object) {
    throw new SoqlError(`sObject type '${query.object}' is not supported.`, 'INVALID_TYPE');
  }
  const column = (name: string): SandboxField => {
    const field = store.schema.findField(object, name);
    if (!field) {
      throw new SoqlError(
        `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to ` +
          "append the '__c' after the custom field name. Please reference your WSDL or the describe call for the " +
          'appropriate names.',
        'INVALID_FIELD',
      );
    }
    return field;
  };
  const fields = query.fields.map((name) => column(name).name);
  const test = query.where ? compile(query.where, column) : () => true;
  const records: StoredRecord[] = [];
  for (const record of store.all(object)) {
    if ((includeDeleted || !record.IsDeleted) && test(record)) records.push(record);
  }
  if (query.orderBy.length > 0) {
    const order = query.orderBy.map((item) => ({ item, field: column(item.field) }));
    records.sort((a, b) => {
      for (const { item, field } of order) {
        const c = compareForOrder(a[field.name], b[field.name], field, item);
        if (c !== 0) return c;
      }
      return 0;
    });
  }
  const limited = query.limit === undefined ? records : records.slice(0, query.limit);
  return { object, fields, records: limited, count: query.count };
}

type Test = (record: StoredRecord) => boolean;

function compile(condition: Condition, column: (name: string) => SandboxField): Test {
  switch (condition.kind) {
    case 'and': {
      const [l, r] = [compile(condition.left, column), compile(condition.right, column)];
      return (rec) => l(rec) && r(rec);
    }
    case 'or': {
      const [l, r] = [compile(condition.left, column), compile(condition.right, column)];
      return (rec) => l(rec) || r(rec);
    }
    case 'not': {
      const inner = compile(condition.inner, column);
      return (rec) => !inner(rec);
    }
    case 'in': {
      const field = column(condition.field);
      const values = condition.values.map((v) => literalFor(field, v));
      return (rec) => {
        const value = rec[field.name];
        const found = values.some((v) => compare(value, v, field) === 0);
        return condition.negated ? !found : found;
      };
    }
    case 'compare': {
      const field = column(condition.field);
      const literal = literalFor(field, condition.value);
      const { op } = condition;
      return (rec) => {
        const value = rec[field.name];
        if (literal === null || value === null || value === undefined) {
          const bothNull = literal === null && (value === null || value === undefined);
          return op === '=' ? bothNull : op === '!=' ? !bothNull : false;
        }
        const c = compare(value, literal, field);
        return op === '='
          ? c === 0
          : op === '!='
            ? c !== 0
            : op === '<'
              ? c < 0
              : op === '>'
                ? c > 0
                : op === '<='
                  ? c <= 0
                  : c >= 0;
      };
    }
  }
}

/** A 15- or 18-character record id: the only strings Salesforce compares an id or reference field with. */
const RECORD_ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;

/**
 * A literal converted to the field's comparable form; a type mismatch fails as Salesforce's INVALID_FIELD, and a
 * string that is no record id compared with an id or reference field as its INVALID_QUERY_FILTER_OPERATOR (Salesforce
 * puts the query and the position before the same last line).
 */
function literalFor(field: SandboxField, literal: Literal): unknown {
  if (literal.kind === 'null') return null;
  const mismatch = () =>
    new SoqlError(
      `value of filter criterion for field '${field.name}' must be of type ${field.type} and should not be enclosed in quotes`,
      'INVALID_FIELD',
    );
  switch (field.type) {
    case 'id':
    case 'reference':
      if (literal.kind !== 'string') throw mismatch();
      if (!RECORD_ID.test(literal.value)) {
        throw new SoqlError(`invalid ID field: ${literal.value}`, 'INVALID_QUERY_FILTER_OPERATOR');
      }
      return literal.value;
    case 'datetime':
      if (literal.kind !== 'datetime') throw mismatch();
      return literal.ms;
    case 'date':
      if (literal.kind !== 'date') throw mismatch();
      return literal.value;
    case 'boolean':
      if (literal.kind !== 'boolean') throw mismatch();
      return literal.value;
    case 'double':
    case 'currency':
    case 'int':
    case 'percent':
      if (literal.kind !== 'number') throw mismatch();
      return literal.value;
    default:
      if (literal.kind !== 'string') throw mismatch();
      return literal.value;
  }
}

const caseSensitive = new Set<SandboxField['type']>(['id', 'reference']);

/** Compares a stored value with a comparable literal; text compares case-insensitively, as in SOQL. */
function compare(value: unknown, literal: unknown, field: SandboxField): number {
  if (value === null || value === undefined) return literal === null ? 0 : -1;
  if (field.type === 'datetime') return Date.parse(String(value)) - (literal as number);
  if (typeof literal === 'number') return Number(value) - literal;
  if (typeof literal === 'boolean') return Number(value) - Number(literal);
  if (caseSensitive.has(field.type)) {
    // A 15-character id names the same record as its 18-character form.
    const id = String(value);
    const other = String(literal);
    const a = other.length === 15 ? id.slice(0, 15) : id;
    return a < other ? -1 : a > other ? 1 : 0;
  }
  const a = String(value).toLowerCase();
  const b = String(literal).toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareForOrder(a: unknown, b: unknown, field: SandboxField, item: OrderItem): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) {
    if (aNull && bNull) return 0;
    return (aNull ? -1 : 1) * (item.nullsLast ? -1 : 1);
  }
  // Stored datetimes share one fixed-width format, so their text order is their time order (and far cheaper).
  const c = field.type === 'datetime' ? (a < b ? -1 : a > b ? 1 : 0) : compare(a, b, field);
  return item.descending ? -c : c;
}
