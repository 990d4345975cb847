import type { SyncContext } from './context.ts';

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

/**
 * Lead-to-account matching: a person without an account whose e-mail domain is the domain of exactly one known
 * account is attached to it, so that the person joins that company instead of creating a duplicate.
 */
export async function attachByDomain(ctx: SyncContext, people: readonly Bag[]): Promise<void> {
  const unattached = people.filter(
    (p) => (p.account as { id?: string } | null | undefined)?.id === undefined,
  );
  const domains = new Map<Bag, string>();
  for (const person of unattached) {
    const domain = companyDomain(person.email);
    if (domain !== undefined) domains.set(person, domain);
  }
  if (domains.size === 0) return;
  const accounts = await ctx.store.findByMatchKey('account', 'domain', [...new Set(domains.values())]);
  for (const [person, domain] of domains) {
    const ids = accounts.get(domain);
    // Two accounts with one domain is ambiguous: better no link than a wrong one.
    if (ids?.length === 1) person.account = { id: ids[0] as string, refs: {} };
  }
}
