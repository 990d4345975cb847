import { closest } from '../config/suggest.ts';
import { type Account, FIELD_CATALOG, type FieldType, type Person } from '../model/index.ts';

const CUSTOM_NAME = /^custom\.[A-Za-z][A-Za-z0-9_]*$/;
const ACCOUNT = 'account.';

/** What a path names: a catalogued field with its type, or a custom field whose type the policy cannot know. */
export type PathType = FieldType | 'custom';

/** The type of the field a policy path names, or undefined when no such field exists. */
export function pathType(path: string): PathType | undefined {
  const [catalog, rest] = path.startsWith(ACCOUNT)
    ? [FIELD_CATALOG.account, path.slice(ACCOUNT.length)]
    : [FIELD_CATALOG.person, path];
  if (CUSTOM_NAME.test(rest)) return 'custom';
  return catalog.get(rest);
}

/** Every path a policy may name, for "did you mean" suggestions. */
const KNOWN_PATHS = [
  ...FIELD_CATALOG.person.keys(),
  ...[...FIELD_CATALOG.account.keys()].map((key) => `${ACCOUNT}${key}`),
];

/** ` (did you mean "…"?)` when a known path is close to `path`, else an empty string. */
export function suggestPath(path: string): string {
  const best = closest(path, KNOWN_PATHS);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** Reads one field of a person or of the person's account. */
export type Getter = (person: Person, account: Account | undefined) => unknown;

/** A path's steps: on the person or the account, its top-level key, and the key inside it for a nested path. */
export function pathSteps(path: string): { onAccount: boolean; first: string; second: string | undefined } {
  const onAccount = path.startsWith(ACCOUNT);
  const [first = '', second] = (onAccount ? path.slice(ACCOUNT.length) : path).split('.');
  return { onAccount, first, second };
}

/** A nested path's second step: `record[key]` when the first step gave an object, else undefined. */
export function inside(record: unknown, key: string): unknown {
  return typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[key] : undefined;
}

/** A getter for a valid path, resolved once so that classification does no string work per record. */
export function compileGetter(path: string): Getter {
  const { onAccount, first, second } = pathSteps(path);
  if (second === undefined)
    return onAccount
      ? (_person, account) =>
          account === undefined ? undefined : (account as Record<string, unknown>)[first]
      : (person) => (person as Record<string, unknown>)[first];
  const read = (record: Record<string, unknown>): unknown => inside(record[first], second);
  if (onAccount) return (_person, account) => (account === undefined ? undefined : read(account));
  return (person) => read(person);
}
