import { isBlank } from '../model/blank.ts';
import { NOT_AN_EMAIL, toEmail } from './scalars.ts';
import { Invalid, type Step } from './step.ts';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const NON_DIGIT = /\D/g;
const WHITESPACE = /\s/;
const PATH_START = /[/?#]/;

const NOT_A_PHONE = new Invalid('invalid phone number (fewer than 7 digits)');
const NOT_A_URL = new Invalid('expected a URL or a domain');
const NO_AT_SIGN = new Invalid('expected an e-mail address (no @ in it)');

/** Applies a string operation to strings and lets every other value through. */
function onText(operation: (text: string) => string): Step {
  return (value) => (typeof value === 'string' ? operation(value) : value);
}

export const trim = onText((text) => text.trim());
export const lowercase = onText((text) => text.toLowerCase());
export const uppercase = onText((text) => text.toUpperCase());

export function email(value: unknown): unknown {
  if (typeof value !== 'string') return value == null ? value : NOT_AN_EMAIL;
  return toEmail(value.trim().toLowerCase());
}

/**
 * Keeps digits and a leading `+`; `00` is the international prefix, so it becomes `+`. With a default calling
 * code, a number without one gets `+<code>` (the number is taken as written: no trunk-prefix guessing).
 */
export function phone(defaultCallingCode: string | undefined): Step {
  return (value) => {
    if (value == null) return value;
    if (typeof value !== 'string' && typeof value !== 'number') return NOT_A_PHONE;
    const text = String(value).trim();
    let digits = text.replace(NON_DIGIT, '');
    let international = text.startsWith('+');
    if (!international && digits.startsWith('00')) {
      digits = digits.slice(2);
      international = true;
    }
    if (digits.length < 7) return NOT_A_PHONE;
    if (international) return `+${digits}`;
    return defaultCallingCode === undefined ? digits : `+${defaultCallingCode}${digits}`;
  };
}

/** `https://www.Acme.com:443/about?x` → `acme.com`; a bare domain comes back lower-cased. */
export function domainFromUrl(value: unknown): unknown {
  if (typeof value !== 'string') return value == null ? value : NOT_A_URL;
  let host = value.trim().replace(SCHEME, '');
  const end = host.search(PATH_START);
  if (end >= 0) host = host.slice(0, end);
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  const colon = host.indexOf(':');
  if (colon >= 0) host = host.slice(0, colon);
  host = host.toLowerCase();
  if (host.startsWith('www.')) host = host.slice(4);
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (isBlank(host)) return null;
  return WHITESPACE.test(host) ? NOT_A_URL : host;
}

/** The domain of an e-mail address, lower-cased. */
export function domainFromEmail(value: unknown): unknown {
  if (typeof value !== 'string') return value == null ? value : NO_AT_SIGN;
  const at = value.lastIndexOf('@');
  if (at < 0) return NO_AT_SIGN;
  const domain = value
    .slice(at + 1)
    .trim()
    .toLowerCase();
  return domain.length === 0 ? NO_AT_SIGN : domain;
}

export function emptyToNull(value: unknown): unknown {
  return typeof value === 'string' && isBlank(value) ? null : value;
}

/** Null, blank and absent all take the default: it is what a required field needs when the source has nothing. */
export function withDefault(fallback: string | number | boolean): Step {
  return (value) => (value == null || (typeof value === 'string' && isBlank(value)) ? fallback : value);
}

export function truncate(length: number): Step {
  return onText((text) => (text.length > length ? text.slice(0, length) : text));
}
