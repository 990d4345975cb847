import * as z from 'zod';
import { isBlank } from '../model/blank.ts';
import { Invalid } from './step.ts';

// The model's own pattern (z.iso.date()), so a date accepted here is one the schema accepts.
const DATE = z.regexes.date;
/** Already what the mapper writes (`2024-05-01T12:00:00.000Z`): most values are, so they skip `Date`. */
const CANONICAL_DATETIME = z.regexes.datetime({ offset: true, precision: 3 });
const EPOCH_MS = /^-?\d{1,16}$/;
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(z|[+-]\d{2}(?::?\d{2})?)?$/i;

const NOT_A_DATE = new Invalid('expected a date (YYYY-MM-DD, an ISO 8601 date-time or epoch milliseconds)');
const NOT_A_DATETIME = new Invalid('expected a date-time (ISO 8601 or epoch milliseconds)');

const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the four-digit years the model's pattern allows. */
const FIRST_MS = -62_167_219_200_000;
const LAST_MS = 253_402_300_799_999;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const four = (n: number) => (n < 1000 ? `0${three(n)}` : `${n}`);

/**
 * Epoch milliseconds to ISO 8601 UTC, or undefined outside the four-digit years the model's pattern allows: what
 * `new Date(ms).toISOString()` gives, written out here because that costs about half a microsecond, and HubSpot
 * sends every date-time as epoch milliseconds. Days become a date by Howard Hinnant's civil_from_days
 * (https://howardhinnant.github.io/date_algorithms.html); test/mapping/step-shortcuts.property.test.ts holds it to
 * what a Date gives.
 */
export function fromEpoch(ms: number): string | undefined {
  // A Date keeps whole milliseconds, cut towards zero.
  const time = Math.trunc(ms);
  if (!(time >= FIRST_MS && time <= LAST_MS)) return undefined;
  const days = Math.floor(time / DAY_MS);
  const inDay = time - days * DAY_MS;
  const shifted = days + 719_468; // days since 0000-03-01, a year that ends with its leap day
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1_460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(inDay / 3_600_000);
  const minutes = Math.floor((inDay % 3_600_000) / 60_000);
  const seconds = Math.floor((inDay % 60_000) / 1000);
  return `${four(year)}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${three(inDay % 1000)}Z`;
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
  // Salesforce writes UTC as `+0000`: the same instant as `Z`, so only the suffix changes.
  if (value.length === 28 && value.endsWith('+0000')) {
    const utc = `${value.slice(0, 23)}Z`;
    if (CANONICAL_DATETIME.test(utc)) return utc;
  }
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
