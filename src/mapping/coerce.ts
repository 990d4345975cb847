import * as z from 'zod';
import type { FieldType } from '../model/index.ts';
import { Invalid, isBlank, type Step } from './step.ts';

// The model's own patterns (z.email(), z.iso.date()), so a value coercion accepts is one the schema accepts.
const EMAIL = z.regexes.email;
const DATE = z.regexes.date;
/** Already what the mapper writes (`2024-05-01T12:00:00.000Z`): most values are, so they skip `Date`. */
const CANONICAL_DATETIME = z.regexes.datetime({ offset: true, precision: 3 });
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const EPOCH_MS = /^-?\d{1,16}$/;
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(z|[+-]\d{2}(?::?\d{2})?)?$/i;

export const NOT_A_STRING = new Invalid('expected a string');
export const NOT_AN_EMAIL = new Invalid('invalid e-mail');
export const NOT_A_NUMBER = new Invalid('expected a number');
export const NOT_AN_INTEGER = new Invalid('expected an integer');
export const NOT_A_BOOLEAN = new Invalid('expected a boolean (true, false, yes, no, 1 or 0)');
export const NOT_A_DATE = new Invalid(
  'expected a date (YYYY-MM-DD, an ISO 8601 date-time or epoch milliseconds)',
);
export const NOT_A_DATETIME = new Invalid('expected a date-time (ISO 8601 or epoch milliseconds)');
export const NOT_A_LIST = new Invalid('expected a list of strings (or one string separated by ;)');
export const NOT_AN_ID = new Invalid('expected an external id');
export const NOT_A_LINK = new Invalid('expected a link { refs: { <connection>: <id> } }');

const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0']);

export function toText(value: unknown): unknown {
  if (value == null) return value;
  if (typeof value === 'string') return isBlank(value) ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return NOT_A_STRING;
}

export function toEmail(value: unknown): unknown {
  if (value == null) return value;
  if (typeof value !== 'string') return NOT_AN_EMAIL;
  if (isBlank(value)) return null;
  return EMAIL.test(value) ? value : NOT_AN_EMAIL;
}

export function toNumber(value: unknown): unknown {
  if (value == null) return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : NOT_A_NUMBER;
  if (typeof value !== 'string') return NOT_A_NUMBER;
  if (isBlank(value)) return null;
  const text = value.trim();
  return NUMBER.test(text) ? Number(text) : NOT_A_NUMBER;
}

export function toInteger(value: unknown): unknown {
  const n = toNumber(value);
  if (typeof n !== 'number') return n === NOT_A_NUMBER ? NOT_AN_INTEGER : n;
  return Number.isSafeInteger(n) ? n : NOT_AN_INTEGER;
}

export function toBoolean(value: unknown): unknown {
  if (value == null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : NOT_A_BOOLEAN;
  if (typeof value !== 'string') return NOT_A_BOOLEAN;
  if (isBlank(value)) return null;
  const word = value.trim().toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : NOT_A_BOOLEAN;
}

/** Epoch milliseconds to ISO 8601 UTC, or undefined outside the four-digit years the model's pattern allows. */
function fromEpoch(ms: number): string | undefined {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  const iso = new Date(ms).toISOString();
  return iso.length === 24 ? iso : undefined;
}

/**
 * Parses the ISO 8601 shapes Salesforce (`2024-05-01T12:00:00.000+0000`) and HubSpot (`…Z`) send, and plain
 * dates (midnight UTC). A time without a zone is taken as UTC: both APIs always send one, and guessing the
 * worker's local zone would make results depend on where it runs.
 */
function parseIso(text: string): string | undefined {
  if (text.length === 10) return DATE.test(text) ? `${text}T00:00:00.000Z` : undefined;
  const m = ISO_DATETIME.exec(text);
  if (m === null || !DATE.test(m[1] as string)) return undefined;
  const time = (m[2] as string).length === 5 ? `${m[2]}:00` : m[2];
  const fraction = m[3] === undefined ? '' : m[3].slice(0, 4);
  let zone = m[4] === undefined ? 'Z' : m[4].toUpperCase();
  if (zone.length === 3) zone = `${zone}:00`;
  else if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return fromEpoch(Date.parse(`${m[1]}T${time}${fraction}${zone}`));
}

function isoOf(value: unknown): string | null | undefined {
  if (value == null) return value;
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  if (isBlank(value)) return null;
  if (value.length === 24 && value.charCodeAt(23) === 90 && CANONICAL_DATETIME.test(value)) return value;
  const text = value.trim();
  return EPOCH_MS.test(text) ? fromEpoch(Number(text)) : parseIso(text);
}

/** ISO 8601 UTC with milliseconds, from ISO strings or epoch milliseconds (numbers or digit strings). */
export function toDatetime(value: unknown): unknown {
  if (value === undefined) return value;
  const iso = isoOf(value);
  return iso === undefined ? NOT_A_DATETIME : iso;
}

/** `YYYY-MM-DD`; a date-time is read as its UTC date. */
export function toDate(value: unknown): unknown {
  if (value === undefined) return value;
  if (typeof value === 'string' && value.length === 10 && DATE.test(value)) return value;
  const iso = isoOf(value);
  if (iso === undefined) return NOT_A_DATE;
  return iso === null ? null : iso.slice(0, 10);
}

/** Salesforce multi-select picklists and HubSpot multiple-checkbox properties both separate values with `;`. */
export function toTextList(value: unknown): unknown {
  if (value == null) return value;
  if (typeof value === 'string') {
    const items: string[] = [];
    for (const part of value.split(';')) if (!isBlank(part)) items.push(part.trim());
    return items.length === 0 ? null : items;
  }
  if (!Array.isArray(value)) return NOT_A_LIST;
  const items: string[] = [];
  for (const item of value) {
    const text = toText(item);
    if (text instanceof Invalid) return NOT_A_LIST;
    if (typeof text === 'string') items.push(text);
  }
  return items;
}

function externalId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** Inbound: an external id becomes a link whose only ref is this connection's. */
function inboundLink(connection: string): Step {
  return (value) => {
    if (value == null) return value;
    if (typeof value === 'string' && isBlank(value)) return null;
    const id = externalId(value);
    return id === undefined ? NOT_AN_ID : { refs: { [connection]: id } };
  };
}

function inboundLinkList(connection: string): Step {
  const link = inboundLink(connection);
  return (value) => {
    const ids = typeof value === 'number' ? [value] : toTextList(value);
    if (!Array.isArray(ids)) return ids === NOT_A_LIST ? NOT_AN_ID : ids;
    return ids.map(link);
  };
}

function refOf(value: unknown, connection: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_A_LINK;
  const refs = (value as { refs?: unknown }).refs;
  if (typeof refs !== 'object' || refs === null) return NOT_A_LINK;
  const id = (refs as Record<string, unknown>)[connection];
  return id === undefined || typeof id === 'string' ? id : NOT_A_LINK;
}

/** Outbound: a link becomes this connection's external id; a link this connection has no id for is omitted. */
function outboundLink(connection: string): Step {
  return (value) => (value == null ? value : refOf(value, connection));
}

function outboundLinkList(connection: string): Step {
  return (value) => {
    if (value == null) return value;
    if (!Array.isArray(value)) return NOT_A_LINK;
    const ids: string[] = [];
    for (const link of value) {
      const id = refOf(link, connection);
      if (id instanceof Invalid) return id;
      if (typeof id === 'string') ids.push(id);
    }
    return ids;
  };
}

const SCALAR_COERCION: Record<Exclude<FieldType, 'link' | 'linkList'>, Step> = {
  string: toText,
  email: toEmail,
  integer: toInteger,
  number: toNumber,
  boolean: toBoolean,
  date: toDate,
  datetime: toDatetime,
  stringList: toTextList,
};

/** The step that turns an external value into the unified field's type. */
export function inboundCoercion(type: FieldType, connection: string): Step {
  if (type === 'link') return inboundLink(connection);
  if (type === 'linkList') return inboundLinkList(connection);
  return SCALAR_COERCION[type];
}

/** The step that checks a unified value against its type and gives it the shape written out (links → ids). */
export function outboundCoercion(type: FieldType, connection: string): Step {
  if (type === 'link') return outboundLink(connection);
  if (type === 'linkList') return outboundLinkList(connection);
  return SCALAR_COERCION[type];
}
