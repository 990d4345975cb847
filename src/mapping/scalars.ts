import * as z from 'zod';
import { isBlank } from '../model/blank.ts';
import { Invalid } from './step.ts';

// The model's own pattern (z.email()), so an e-mail accepted here is one the schema accepts.
const EMAIL = z.regexes.email;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

export const NOT_A_STRING = new Invalid('expected a string');
export const NOT_AN_EMAIL = new Invalid('invalid e-mail');
const NOT_A_NUMBER = new Invalid('expected a number');
const NOT_AN_INTEGER = new Invalid('expected an integer');
const NOT_A_BOOLEAN = new Invalid('expected a boolean (true, false, yes, no, 1 or 0)');
export const NOT_A_LIST = new Invalid('expected a list of strings (or one string separated by ;)');

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
