import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a signed-in admin may do: `admin` changes things, `readonly` sees everything and changes nothing. */
export type Role = 'admin' | 'readonly';

/** The tokens the console accepts (from CRM_BRIDGE_CONSOLE_TOKEN and CRM_BRIDGE_CONSOLE_READONLY_TOKEN). */
export interface ConsoleTokens {
  readonly admin: string;
  readonly readonly?: string | undefined;
}

/** One signed-in browser. */
export interface Session {
  readonly id: string;
  readonly role: Role;
  /** Sent back with every state-changing request (a hidden field, or the X-CSRF-Token header from htmx). */
  readonly csrf: string;
  readonly expiresAt: number;
  /** A message for the next page shown (what a replay or a save did). */
  flash?: string | undefined;
}

export const SESSION_COOKIE = 'crm_bridge_console';
const SESSION_MS = 12 * 3_600_000;
/** Wrong tokens accepted per minute, from anywhere, before sign-in answers "too many attempts" without looking. */
const FAILURES_PER_MINUTE = 20;

/**
 * Compares a presented token with an expected one in constant time: both are hashed first, so that neither their
 * contents nor their lengths show in the time taken.
 */
export function sameToken(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected)) && expected.length > 0;
}

/** The sessions of one console process, in memory: a restart signs everyone out. */
export class Sessions {
  readonly #tokens: ConsoleTokens;
  readonly #sessions = new Map<string, Session>();
  readonly #now: () => number;
  /** When the wrong tokens of the last minute came. */
  #failures: number[] = [];

  constructor(tokens: ConsoleTokens, now: () => number = Date.now) {
    if (tokens.admin === '') throw new Error('the console needs a token (CRM_BRIDGE_CONSOLE_TOKEN)');
    if (tokens.readonly !== undefined && tokens.readonly === tokens.admin)
      throw new Error('CRM_BRIDGE_CONSOLE_READONLY_TOKEN must differ from CRM_BRIDGE_CONSOLE_TOKEN');
    this.#tokens = tokens;
    this.#now = now;
  }

  /** Whether too many wrong tokens came in the last minute: sign-in is refused until the minute passes. */
  throttled(): boolean {
    const since = this.#now() - 60_000;
    this.#failures = this.#failures.filter((at) => at > since);
    return this.#failures.length >= FAILURES_PER_MINUTE;
  }

  /** A new session for a token the console accepts; undefined for any other. Both tokens are always compared. */
  signIn(token: string): Session | undefined {
    const admin = sameToken(token, this.#tokens.admin);
    const readonly = this.#tokens.readonly !== undefined && sameToken(token, this.#tokens.readonly);
    if (!admin && !readonly) {
      this.#failures.push(this.#now());
      return undefined;
    }
    const now = this.#now();
    for (const [id, old] of this.#sessions) if (old.expiresAt <= now) this.#sessions.delete(id);
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      role: admin ? 'admin' : 'readonly',
      csrf: randomBytes(32).toString('base64url'),
      expiresAt: this.#now() + SESSION_MS,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session a request's cookie names, if any. */
  of(request: IncomingMessage): Session | undefined {
    const id = cookies(request)[SESSION_COOKIE];
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.#now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  signOut(session: Session): void {
    this.#sessions.delete(session.id);
  }
}

/** Whether a request's CSRF token (form field `_csrf` or header `X-CSRF-Token`) is its session's. */
export function csrfValid(session: Session, request: IncomingMessage, form: URLSearchParams): boolean {
  const header = request.headers['x-csrf-token'];
  const presented = form.get('_csrf') ?? (typeof header === 'string' ? header : '');
  return sameToken(presented, session.csrf);
}

/** The cookies of a request, by name. */
export function cookies(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
  }
  return out;
}

/** Whether the browser reached the console over TLS (directly, or through a proxy that says so). */
export function overTls(request: IncomingMessage): boolean {
  const socket = request.socket as { encrypted?: boolean };
  const forwarded = request.headers['x-forwarded-proto'];
  return socket.encrypted === true || (typeof forwarded === 'string' && /^https\b/i.test(forwarded));
}

/** The Set-Cookie value of a session (or of its removal): HttpOnly, SameSite=Strict, Secure behind TLS. */
export function sessionCookie(value: string | undefined, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${value ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    value === undefined ? 'Max-Age=0' : `Max-Age=${SESSION_MS / 1000}`,
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
