/** Whether a text holds nothing but whitespace; the first- and last-character test spares `trim()` on most texts. */
export function isBlank(value: string): boolean {
  if (value.length === 0) return true;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return (first <= 32 || first >= 0x7f) && (last <= 32 || last >= 0x7f) && value.trim().length === 0;
}

/** No value: absent, null or blank text (CRMs disagree on whether a cleared field is empty or null). */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && isBlank(value));
}
