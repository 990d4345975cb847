import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSync } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

const sfAll = (h: SyncHarness, object: string) =>
  [...h.sf.store.all(object)].filter((r) => r.IsDeleted !== true);

/** How many records each CRM holds per object. */
const counts = (h: SyncHarness) => ({
  Lead: sfAll(h, 'Lead').length,
  Contact: sfAll(h, 'Contact').length,
  contacts: h.hs.store.all('contacts').length,
});

describe.each(ENGINES)('held records and their twins, state on %s', (_engine, database) => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startHarness(database());
    // The lead source map knows one value, and a value it does not know holds the whole person.
    h.config.valueMaps.leadSource = { web: { sf: 'Web', hs: 'ORGANIC_SEARCH' } };
    const field = h.config.objects.person?.fields.find((f) => f.unified === 'leadSource');
    if (field === undefined) throw new Error('the example maps no lead source');
    Object.assign(field, { onInvalid: 'hold' });
    const [account] = h.sf.seed('Account', [
      { Name: 'Analytical Engines', Website: 'analytical.example.com' },
    ]);
    h.sf.seed('Lead', [
      { LastName: 'Lovelace', Email: 'Ada@X.example', Company: 'X Ltd', LeadSource: 'Phone Inquiry' },
      { LastName: 'Hopper', Email: 'grace@navy.example', Company: 'Navy', LeadSource: 'Web' },
    ]);
    h.sf.seed('Contact', [
      {
        LastName: 'Babbage',
        Email: 'bob@analytical.example.com',
        AccountId: account,
        LeadSource: 'Partner Referral',
      },
    ]);
    h.hs.seed('contacts', [
      { email: 'ada@x.example', firstname: 'Ada', lastname: 'Lovelace' },
      { email: 'BOB@Analytical.Example.com', firstname: 'Charles', lastname: 'Babbage' },
      { email: 'grace@navy.example', firstname: 'Grace', lastname: 'Hopper' },
    ]);
  });
  afterEach(async () => {
    await h.close();
  });

  it('links a held Lead and a held Contact to their twins: three rounds create nothing in either CRM', async () => {
    const before = counts(h);
    for (let round = 1; round <= 3; round++) {
      const report = await runSync(await h.context());
      expect(report.entities.person?.creates, `round ${round}`).toEqual({});
      // Round three reads nothing new: everything is either synced or still held.
      if (round === 3) expect(report.entities.person?.updates).toEqual({});
    }
    expect(counts(h)).toEqual(before);

    // Each held record is linked with its twin in the identity map.
    const lead = sfAll(h, 'Lead').find((l) => l.Email === 'Ada@X.example');
    const contact = sfAll(h, 'Contact')[0];
    const twins = h.hs.store.all('contacts');
    const ids = (keys: { connection: string; object: string; externalId: string }[]) =>
      h.store.findLinks(keys).then((m) => new Set([...m.values()].map((l) => l.unifiedId)));
    const ada = twins.find((c) => c.properties.email === 'ada@x.example');
    const bob = twins.find((c) => String(c.properties.email).toLowerCase() === 'bob@analytical.example.com');
    expect(
      await ids([
        { connection: 'sf', object: 'Lead', externalId: String(lead?.Id) },
        { connection: 'hs', object: 'contacts', externalId: String(ada?.id) },
      ]),
    ).toHaveProperty('size', 1);
    expect(
      await ids([
        { connection: 'sf', object: 'Contact', externalId: String(contact?.Id) },
        { connection: 'hs', object: 'contacts', externalId: String(bob?.id) },
      ]),
    ).toHaveProperty('size', 1);

    // Grace, whose lead source maps, synced: HubSpot's first name reached her Lead.
    expect(sfAll(h, 'Lead').find((l) => l.Email === 'grace@navy.example')?.FirstName).toBe('Grace');
    // The held records are listed as held, with the value that holds them, and were not written to.
    const held = (await h.store.listQuarantine()).filter((e) => e.kind === 'held');
    expect(held.map((e) => [e.object, e.field, e.value]).sort()).toEqual([
      ['Contact', 'leadSource', 'Partner Referral'],
      ['Lead', 'leadSource', 'Phone Inquiry'],
    ]);
    expect(lead?.FirstName ?? null).toBeNull();
  });

  it('syncs a held record once its value maps, without a replay', async () => {
    await runSync(await h.context());
    h.config.valueMaps.leadSource = {
      web: { sf: 'Web', hs: 'ORGANIC_SEARCH' },
      phone: { sf: 'Phone Inquiry', hs: 'OFFLINE' },
      referral: { sf: 'Partner Referral', hs: 'REFERRALS' },
    };
    // The records change, so they are read again with the fixed map.
    const lead = sfAll(h, 'Lead').find((l) => l.Email === 'Ada@X.example');
    h.sf.store.update('Lead', String(lead?.Id), { Title: 'Countess' });
    const contact = sfAll(h, 'Contact')[0];
    h.sf.store.update('Contact', String(contact?.Id), { Title: 'Inventor' });
    const fixed = await h.context();
    await runSync(fixed);
    expect(counts(h)).toEqual({ Lead: 2, Contact: 1, contacts: 3 });
    const jobtitles = h.hs.store.all('contacts').map((c) => c.properties.jobtitle);
    expect(jobtitles).toEqual(expect.arrayContaining(['Countess', 'Inventor']));
    expect(sfAll(h, 'Lead').find((l) => l.Email === 'Ada@X.example')?.FirstName).toBe('Ada');
    expect((await h.store.listQuarantine()).filter((e) => e.kind === 'held')).toEqual([]);
  });
});
