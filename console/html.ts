/** Markup that is already safe: built by `html`, never from a string a user or a CRM supplied. */
export class Html {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an element or a quoted attribute. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const render = (part: Part): string => {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
};

/**
 * A tagged template that escapes every value it is given unless it is `Html` itself: record values, CRM labels and
 * reasons come from outside and can never become markup.
 */
export function html(strings: TemplateStringsArray, ...values: readonly Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** A value as an admin reads it: text as is, anything else as JSON, blank as ∅. */
export const shown = (value: unknown): string =>
  value === undefined || value === null || value === ''
    ? '∅'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** An ISO 8601 instant as an admin reads it (`2026-12-05 01:39:54 UTC`), machine-readable in `<time>`. */
export const when = (iso: string | undefined): Html =>
  iso === undefined
    ? new Html('—')
    : html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</time>`;
