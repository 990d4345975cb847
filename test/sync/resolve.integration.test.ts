import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExternalRecord } from '../../src/connector/types.ts';
import { compileMapping } from '../../src/mapping/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { SyncContext } from '../../src/sync/context.ts';
import type { Pulled } from '../../src/sync/pull.ts';
import { loadIdentities, resolveIdentities } from '../../src/sync/resolve.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';
import { sqliteDatabase, type TestDatabase } from '../support/databases.ts';

const T = '2026-11-01T10:00:00.000Z';

describe('identity resolution', () => {
  let db: TestDatabase;
  let store: Store;
  let ctx: SyncContext;
  beforeEach(async () => {
    db = sqliteDatabase();
    store = await openStore(db.url);
    const config = await exampleConfig();
    ctx = {
      config,
      mapping: compileMapping(config),
      policy: undefined,
      store,
      connectors: {},
      now: () => new Date(T),
    };
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  const person = (
    connection: 'sf' | 'hs',
    object: string,
    id: string,
    fields: Record<string, unknown>,
  ): Pulled<'person'> => {
    const external: ExternalRecord = { object, id, fields, modifiedAt: T };
    const mapped = ctx.mapping.toUnified('person', connection, object, external);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.failures));
    return { connection, object, external, unified: mapped.value };
  };
  const lead = (id: string, email: string) =>
    person('sf', 'Lead', id, { Email: email, LastName: 'L', Company: 'C' });
  const contact = (id: string, email: string) => person('sf', 'Contact', id, { Email: email, LastName: 'C' });
  const hs = (id: string, email: string) => person('hs', 'contacts', id, { email, lastname: 'H' });
  /** Loads what the store knows of the records, then resolves them: the round's two steps. */
  const resolve = async (pulled: Pulled<'person'>[]) =>
    resolveIdentities(ctx, 'person', pulled, await loadIdentities(ctx, 'person', pulled));
  const describeGroups = (groups: { pulled: Pulled[] }[]) =>
    groups.map((g) => g.pulled.map((p) => `${p.connection}:${p.object}:${p.external.id}`)).sort();

  it('joins a Salesforce Lead and a HubSpot contact with the same e-mail, whatever its case', async () => {
    const r = await resolve([lead('00Q1', 'ada@example.com'), hs('101', 'ADA@example.com ')]);
    expect(describeGroups(r.groups)).toEqual([['hs:contacts:101', 'sf:Lead:00Q1']]);
    expect(r.newLinks).toHaveLength(2);
    expect(r.quarantined).toEqual([]);
  });

  it('makes a Salesforce Lead and Contact with one e-mail one person, the Contact first', async () => {
    const r = await resolve([lead('00Q1', 'ada@example.com'), contact('0031', 'ada@example.com')]);
    expect(r.groups.map((g) => g.pulled.map((p) => p.object))).toEqual([['Contact', 'Lead']]);
  });

  it('quarantines two Contacts with one e-mail with both ids, and their twin too: never guesses', async () => {
    const r = await resolve([
      contact('0031', 'ada@example.com'),
      contact('0032', 'ada@example.com'),
      hs('101', 'ada@example.com'),
    ]);
    expect(r.quarantined.map((q) => [q.externalId, q.reason])).toEqual([
      [
        '0031',
        'email ada@example.com is shared by sf Contact 0031, sf Contact 0032; merge them, then replay',
      ],
      [
        '0032',
        'email ada@example.com is shared by sf Contact 0031, sf Contact 0032; merge them, then replay',
      ],
      // Synced on its own, the HubSpot contact would be created in Salesforce a third time.
      ['101', 'email ada@example.com is shared by sf Contact 0031, sf Contact 0032; merge them, then replay'],
    ]);
    expect(describeGroups(r.groups)).toEqual([]);
  });

  it('finds a record again through the identity map, before any match key', async () => {
    const first = await resolve([hs('101', 'ada@example.com')]);
    await store.link(first.newLinks);
    const again = await resolve([hs('101', 'ada@new-job.example')]);
    expect(again.groups[0]?.unifiedId).toBe(first.groups[0]?.unifiedId);
    expect(again.newLinks).toEqual([]);
  });

  it('matches a new record to a person seen in an earlier round by its stored match key', async () => {
    const first = await resolve([hs('101', 'ada@example.com')]);
    await store.link(first.newLinks);
    for (const [id, keys] of first.matchKeys) await store.setMatchKeys('person', id, keys);
    const later = await resolve([lead('00Q1', 'ada@example.com')]);
    expect(later.groups[0]?.unifiedId).toBe(first.groups[0]?.unifiedId);
    expect(later.groups[0]?.links.map((l) => l.externalId).sort()).toEqual(['00Q1', '101']);
  });

  it('quarantines a new record that would make a second Contact of a known person', async () => {
    const first = await resolve([contact('0031', 'ada@example.com')]);
    await store.link(first.newLinks);
    for (const [id, keys] of first.matchKeys) await store.setMatchKeys('person', id, keys);
    const later = await resolve([contact('0032', 'ada@example.com')]);
    expect(later.groups).toEqual([]);
    expect(later.quarantined[0]?.reason).toBe(
      'sf Contact 0032 and 0031 are the same person; merge them, then replay',
    );
  });

  it('quarantines a record that matches two known people', async () => {
    await store.setMatchKeys('person', 'u-a', { email: ['ada@example.com'] });
    await store.setMatchKeys('person', 'u-b', { email: ['ada@example.com'] });
    const r = await resolve([hs('101', 'ada@example.com')]);
    expect(r.quarantined[0]?.reason).toBe(
      'email ada@example.com matches several records (u-a, u-b); merge them, then replay',
    );
  });

  it('gives a converted Lead the identity of the Contact it became', async () => {
    const first = await resolve([contact('0031', 'ada@example.com')]);
    await store.link(first.newLinks);
    const converted = person('sf', 'Lead', '00Q1', {
      Email: 'someone.else@example.com',
      LastName: 'L',
      Company: 'C',
      IsConverted: true,
      ConvertedContactId: '0031',
    });
    (converted.unified as { converted?: unknown }).converted = { contactId: '0031' };
    const r = await resolve([converted]);
    expect(r.groups[0]?.unifiedId).toBe(first.groups[0]?.unifiedId);
  });
});
