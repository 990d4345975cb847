import { mkdirSync, type Stats, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** What a DATABASE_URL that works looks like, for messages that say what to set instead. */
export const EXAMPLE_DATABASE_URL = 'sqlite:./data/crm-bridge.db';

/**
 * The state store a DATABASE_URL names cannot be used: a URL it does not understand, a SQLite path it cannot open,
 * a PostgreSQL server that does not answer. The message says what happened and what to set instead, in one line,
 * with any password removed; `cause` keeps the driver's error.
 */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

/** A URL safe to print: the password of its user (and any `password=` parameter) is replaced. */
export function redactUrl(url: string): string {
  const parts = /^([a-z][a-z\d+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  let safe = url;
  if (parts !== null) {
    const [, scheme = '', authority = '', rest = ''] = parts;
    // The user info ends at the last @ of the authority: a password may hold an unescaped @.
    const at = authority.lastIndexOf('@');
    const colon = authority.indexOf(':');
    if (at >= 0 && colon >= 0 && colon < at)
      safe = `${scheme}${authority.slice(0, colon)}:***${authority.slice(at)}${rest}`;
  }
  return safe.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** The message of an error in one line: a driver's AggregateError (one per address tried) says little itself. */
export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const message = error.message.replace(/\s*\n\s*/g, ' ').trim();
  if (message !== '') return message;
  return typeof code === 'string' ? code : error.name;
}

const stat = (path: string): Stats | undefined => {
  try {
    return statSync(path);
  } catch {
    // ENOENT, or ENOTDIR below a file: either way nothing is there to use.
    return undefined;
  }
};

/**
 * Makes sure a SQLite state file can be created at `path`: the folders above it exist (made here if missing) and
 * the path is not a folder itself. Folders are made one at a time, not with `mkdirSync(…, { recursive: true })`,
 * which never returns when a parent refuses new folders with ENOENT (as /proc does).
 */
export function prepareSqliteFile(url: string, path: string): void {
  const fail = (problem: string) =>
    new StoreUnavailable(
      `the state store ${url} cannot be opened: ${problem}; set DATABASE_URL to a file in a folder this user can write, e.g. ${EXAMPLE_DATABASE_URL}`,
    );
  const file = resolve(path);
  if (stat(file)?.isDirectory())
    throw new StoreUnavailable(
      `the state store ${url} cannot be opened: ${path} is a folder; name a file in it, e.g. sqlite:${join(path, 'crm-bridge.db')}`,
    );
  const missing: string[] = [];
  let folder = dirname(file);
  let found = stat(folder);
  while (found === undefined && dirname(folder) !== folder) {
    missing.unshift(folder);
    folder = dirname(folder);
    found = stat(folder);
  }
  if (found === undefined) throw fail(`no folder above ${path} exists`);
  if (!found.isDirectory()) throw fail(`${folder} is a file, not a folder`);
  for (const create of missing) {
    try {
      mkdirSync(create);
    } catch (error) {
      // Another process may have made it meanwhile.
      if (stat(create)?.isDirectory()) continue;
      throw fail(`the folder ${create} cannot be created (${reasonOf(error).replace(/, mkdir .*$/, '')})`);
    }
  }
}
