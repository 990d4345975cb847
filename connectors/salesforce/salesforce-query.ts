import { type ConnectorError, ConnectorFailure } from '../../src/connector/errors.ts';
import type { Cursor } from '../../src/connector/types.ts';

/** Characters SOQL string literals escape with a backslash. */
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A SOQL string literal: quoted, with backslash, quotes and control characters escaped. */
export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] ?? c)}'`;
}

/** A SOQL datetime literal (UTC, millisecond precision) from an ISO timestamp; refuses anything else. */
export function soqlDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new ConnectorFailure({
      kind: 'invalid',
      code: 'INVALID_CURSOR',
      message: `not a timestamp: ${iso}`,
    });
  }
  return new Date(ms).toISOString();
}

const SALESFORCE_ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;

/** True for a 15- or 18-character record id (Salesforce refuses any other string compared with an id field). */
export function isSalesforceId(value: string): boolean {
  return SALESFORCE_ID.test(value);
}

/** The refusal of a string given as a record id that is no Salesforce id. */
export function malformedId(value: string): ConnectorError {
  return { kind: 'invalid', code: 'MALFORMED_ID', message: `not a Salesforce id: ${value}` };
}

/**
 * Strictly after a (SystemModstamp, Id) cursor. The Id tie-break keeps records that share a timestamp across a page
 * boundary: none is lost, none is read twice. A cursor without a valid id (the sync engine moves a cursor back by its
 * overlap window and clears the id) reads from its timestamp inclusive: Salesforce refuses `Id > ''`
 * (INVALID_QUERY_FILTER_OPERATOR), and "after every id at t" is every record at t.
 */
export function afterCursor(cursor: Cursor): string {
  const t = soqlDateTime(cursor.modifiedAt);
  if (!isSalesforceId(cursor.id)) return `SystemModstamp >= ${t}`;
  return `(SystemModstamp > ${t} OR (SystemModstamp = ${t} AND Id > ${soqlString(cursor.id)}))`;
}

export interface SelectQuery {
  /** An object name checked against describe. */
  readonly object: string;
  /** Field names checked against describe. */
  readonly fields: readonly string[];
  /** Conditions joined with AND. */
  readonly where?: readonly string[];
  /** Field names, each optionally followed by DESC. */
  readonly orderBy?: readonly string[];
  readonly limit?: number;
}

/**
 * Builds a SELECT whose object and field names have already been checked against describe (see DescribeCache);
 * `where` holds conditions built only with soqlString/soqlDateTime/afterCursor.
 */
export function buildSelect(query: SelectQuery): string {
  const parts = [`SELECT ${query.fields.join(', ')} FROM ${query.object}`];
  const where = query.where ?? [];
  if (where.length > 0) parts.push(`WHERE ${where.join(' AND ')}`);
  if (query.orderBy && query.orderBy.length > 0) parts.push(`ORDER BY ${query.orderBy.join(', ')}`);
  if (query.limit !== undefined) parts.push(`LIMIT ${Math.trunc(query.limit)}`);
  return parts.join(' ');
}

/** `field IN ('a', 'b')` with every value escaped. */
export function inList(field: string, values: readonly string[]): string {
  return `${field} IN (${values.map(soqlString).join(', ')})`;
}
