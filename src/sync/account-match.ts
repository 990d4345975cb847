/** Domains of personal mailboxes: a person's e-mail there says nothing about their company. */
const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'hotmail.com',
  'hotmail.co.uk',
  'outlook.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'proton.me',
  'protonmail.com',
  'mail.com',
  'yandex.ru',
  'mail.ru',
  'qq.com',
  '163.com',
]);

/** The company domain of an e-mail address, or undefined for a personal mailbox or a malformed address. */
export function companyDomain(email: unknown): string | undefined {
  if (typeof email !== 'string') return undefined;
  const at = email.lastIndexOf('@');
  if (at < 1) return undefined;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase();
  return domain === '' || FREE_MAIL.has(domain) ? undefined : domain;
}

type Bag = Record<string, unknown>;

/** The company domains of these records' e-mail addresses, for the loader to look accounts up by. */
export function domainsOf(records: readonly Bag[]): string[] {
  const out = new Set<string>();
  for (const record of records) {
    const domain = companyDomain(record.email);
    if (domain !== undefined) out.add(domain);
  }
  return [...out];
}

/**
 * Lead-to-account matching: a person without an account whose e-mail domain is the domain of exactly one known
 * account (`accountsByDomain`, as loaded) is attached to it, so that the person joins that company instead of
 * creating a duplicate.
 */
export function attachByDomain(
  people: readonly Bag[],
  accountsByDomain: ReadonlyMap<string, readonly string[]>,
): void {
  for (const person of people) {
    if ((person.account as { id?: string } | null | undefined)?.id !== undefined) continue;
    const domain = companyDomain(person.email);
    const ids = domain === undefined ? undefined : accountsByDomain.get(domain);
    // Two accounts with one domain is ambiguous: better no link than a wrong one.
    if (ids?.length === 1) person.account = { id: ids[0] as string, refs: {} };
  }
}
