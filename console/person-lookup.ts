import { Account, Person } from '../src/model/index.ts';
import type { Classification } from '../src/policy/index.ts';
import { classify } from '../src/policy/index.ts';
import type { ExternalKey, QuarantineEntry, WriteHistoryEntry } from '../src/store/index.ts';
import { keyOf } from '../src/store/index.ts';
import type { SyncContext } from '../src/sync/context.ts';
import { objectsOf } from '../src/sync/field-table.ts';

/** One of a person's records in a CRM, as read now. */
export interface PersonRecord extends ExternalKey {
  /** The record mapped to the unified model, when it maps. */
  readonly person?: Person;
  /** Why it could not be read or mapped. */
  readonly problems: readonly string[];
}

/** What crm-bridge knows of one person, for the explain page. */
export interface PersonView {
  /** The unified record, or undefined for a record no round has read yet. */
  readonly unifiedId: string | undefined;
  readonly records: readonly PersonRecord[];
  /** The person as crm-bridge last merged it (its snapshot), if it has one. */
  readonly snapshot: Readonly<Record<string, unknown>> | undefined;
  /** The person that was classified: the snapshot where it parses, else the first record that maps. */
  readonly classified: { readonly from: string; readonly person: Person } | undefined;
  readonly classification: Classification | undefined;
  /** The account the person belongs to, as last merged, when the snapshot names one. */
  readonly account: Account | undefined;
  /** Which connection last set each field, and when. */
  readonly provenance: ReadonlyMap<string, { connection: string; modifiedAt: string }>;
  /** Every quarantine entry of the person's records, resolved ones too, oldest first. */
  readonly quarantine: readonly QuarantineEntry[];
  /** What crm-bridge wrote to the person's records and when, newest first (the latest 50). */
  readonly writes: readonly WriteHistoryEntry[];
}

/**
 * The unified people an e-mail address or a record id names: an address is looked up among the match keys (as a
 * round matches people), an id among the person records of each connection of the pair.
 */
export async function findPeople(ctx: SyncContext, query: string): Promise<string[]> {
  const q = query.trim();
  if (q === '') return [];
  if (q.includes('@')) {
    const found = await ctx.store.findByMatchKey('person', 'email', [q.toLowerCase()]);
    return [...new Set([...found.values()].flat())];
  }
  const keys = ctx.config.sync.pair.flatMap((connection) =>
    objectsOf(ctx.config, 'person', connection).map((object) => ({ connection, object, externalId: q })),
  );
  const links = await ctx.store.findLinks(keys);
  return [...new Set([...links.values()].map((l) => l.unifiedId))];
}

/** Reads a person's records from both CRMs, maps them, and classifies the person with the policy. */
export async function personView(ctx: SyncContext, unifiedId: string, now: number): Promise<PersonView> {
  const links = (await ctx.store.linksOf([unifiedId])).filter((l) => l.entity === 'person');
  return viewOf(ctx, unifiedId, links, now);
}

/**
 * A record id no round has read yet, looked up in each person object of both CRMs: the records found, mapped and
 * classified on their own (crm-bridge has merged nothing of them).
 */
export async function unsyncedView(
  ctx: SyncContext,
  id: string,
  now: number,
): Promise<PersonView | undefined> {
  const keys = ctx.config.sync.pair.flatMap((connection) =>
    objectsOf(ctx.config, 'person', connection).map((object) => ({ connection, object, externalId: id })),
  );
  const found: ExternalKey[] = [];
  for (const key of keys) {
    const connector = ctx.connectors[key.connection];
    if (connector?.read === undefined) continue;
    // A Salesforce id names its object by its prefix; asking the other objects answers "not found" (or refuses the id).
    const [record] = await connector.read(key.object, [id], ['Id']).catch(() => []);
    if (record !== undefined) found.push(key);
  }
  return found.length === 0 ? undefined : viewOf(ctx, undefined, found, now);
}

async function viewOf(
  ctx: SyncContext,
  unifiedId: string | undefined,
  links: readonly ExternalKey[],
  now: number,
): Promise<PersonView> {
  const records = await Promise.all(links.map((link) => readRecord(ctx, link)));
  const snapshot =
    unifiedId === undefined ? undefined : (await ctx.store.snapshots([unifiedId])).get(unifiedId);
  const kind = records.some((r) => r.person?.kind === 'lead') ? 'lead' : 'contact';
  const merged =
    snapshot === undefined ? undefined : Person.safeParse({ kind, ...only(Person.shape, snapshot) });
  const classified = merged?.success
    ? { from: 'the person as crm-bridge last merged it', person: merged.data }
    : records
        .filter((r) => r.person !== undefined)
        .map((r) => ({
          from: `${r.connection} ${r.object} ${r.externalId} as read now`,
          person: r.person as Person,
        }))[0];
  const accountId = (snapshot?.account as { id?: unknown } | null | undefined)?.id;
  const accountData =
    typeof accountId === 'string' ? (await ctx.store.snapshots([accountId])).get(accountId) : undefined;
  const parsedAccount =
    accountData === undefined ? undefined : Account.safeParse(only(Account.shape, accountData));
  const account = parsedAccount?.success ? parsedAccount.data : undefined;
  const classification =
    classified === undefined || ctx.policy === undefined
      ? undefined
      : settled(classify(classified.person, account, [], ctx.policy, { now }), classified.person);
  const keys = new Set(links.map(keyOf));
  const quarantine = (await ctx.store.listQuarantine({ includeResolved: true, limit: 100_000 })).filter((e) =>
    keys.has(keyOf(e)),
  );
  return {
    unifiedId,
    records,
    snapshot,
    classified,
    classification,
    account,
    provenance: unifiedId === undefined ? new Map() : await ctx.store.provenance(unifiedId),
    quarantine,
    writes: unifiedId === undefined ? [] : await ctx.store.writesOf([unifiedId], 50),
  };
}

/** The fields of a snapshot the unified schema knows (a snapshot also keeps where each value came from). */
const only = (shape: object, data: Readonly<Record<string, unknown>>) =>
  Object.fromEntries(Object.entries(data).filter(([key]) => key in shape));

/** A conversion Salesforce already made settles the verdict: crm-bridge never converts such a Lead again. */
function settled(result: Classification, person: Person): Classification {
  const converted = person.converted;
  if (converted === undefined || converted === null) return result;
  const into = converted.contactId ? ` into Contact ${converted.contactId}` : '';
  return {
    ...result,
    convert: {
      required: false,
      reason: `already converted in Salesforce${into}; it will not be converted again`,
    },
  };
}

async function readRecord(ctx: SyncContext, key: ExternalKey): Promise<PersonRecord> {
  const connector = ctx.connectors[key.connection];
  if (connector?.read === undefined)
    return { ...key, problems: [`the ${key.connection} connector cannot read a record by id`] };
  try {
    const [record] = await connector.read(
      key.object,
      [key.externalId],
      ctx.mapping.fieldsToRead('person', key.connection, key.object),
    );
    if (record === undefined)
      return { ...key, problems: ['not found: deleted in the CRM since the last round?'] };
    const mapped = ctx.mapping.toUnified('person', key.connection, key.object, record);
    if (!mapped.ok)
      return {
        ...key,
        problems: mapped.failures.map(
          (f) => `${f.external} (${f.unified}): ${f.reason}; got ${JSON.stringify(f.value)}`,
        ),
      };
    const person =
      record.converted === undefined ? mapped.value : { ...mapped.value, converted: record.converted };
    return { ...key, person, problems: [] };
  } catch (error) {
    return { ...key, problems: [(error as Error).message] };
  }
}
