import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSync } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

describe.each(ENGINES)('conversions against the sandboxes, state on %s', (_engine, database) => {
  let h: SyncHarness;
  let account: string;
  beforeEach(async () => {
    h = await startHarness(database());
    [account] = h.sf.seed('Account', [
      { Name: 'Analytical Engines', Website: 'https://analytical.example.com', Industry: 'Technology' },
    ]) as [string];
    h.hs.seed('companies', [{ name: 'Analytical Engines', domain: 'analytical.example.com' }]);
  });
  afterEach(async () => {
    await h.close();
  });

  const sfAll = (object: string) => [...h.sf.store.all(object)].filter((r) => r.IsDeleted !== true);

  it('converts the Lead the policy calls sales-ready, on the account its domain matches, and advances HubSpot', async () => {
    const [lead] = h.sf.seed('Lead', [
      {
        LastName: 'Lovelace',
        Email: 'ada@analytical.example.com',
        Company: 'Analytical Engines',
        // A rep works the lead: the default policy converts only what sales accepted.
        Status: 'Working - Contacted',
      },
    ]) as [string];
    h.hs.seed('contacts', [
      {
        email: 'ada@analytical.example.com',
        firstname: 'Ada',
        lastname: 'Lovelace',
        jobtitle: 'Head of Engineering',
        country: 'United States',
        industry: 'COMPUTER_SOFTWARE',
        crm_bridge_employees: '250',
        recent_conversion_event_name: 'Demo request',
        // A first inquiry, then the demo request: sales-ready needs an action after the first inquiry.
        num_conversion_events: '2',
        lifecyclestage: 'lead',
      },
    ]);
    // A dry run lists the conversion it would make, and makes none.
    const dry = await runSync(await h.context(), { dryRun: true });
    expect(dry.entities.person?.plannedConversions).toEqual([
      expect.objectContaining({ connection: 'sf', object: 'Lead', id: lead, createOpportunity: true }),
    ]);
    expect(h.sf.read('Lead', lead)?.IsConverted).not.toBe(true);
    const first = await runSync(await h.context());
    expect(first.entities.person?.conversions).toBe(1);

    const converted = h.sf.read('Lead', lead);
    expect(converted?.IsConverted).toBe(true);
    expect(converted?.ConvertedAccountId).toBe(account);
    const [contact] = h.hs.store.all('contacts');
    expect(contact?.properties.lifecyclestage).toBe('salesqualifiedlead');

    await runSync(await h.context());
    await runSync(await h.context());
    // One person: the Lead, the Contact its conversion made, one HubSpot contact; one opportunity, one deal.
    expect(sfAll('Lead')).toHaveLength(1);
    expect(sfAll('Contact').map((c) => c.Id)).toEqual([converted?.ConvertedContactId]);
    expect(sfAll('Account')).toHaveLength(1);
    expect(h.hs.count('contacts')).toBe(1);
    expect(h.hs.count('companies')).toBe(1);
    expect(sfAll('Opportunity')).toHaveLength(1);
    expect(h.hs.count('deals')).toBe(1);
    const links = await h.store.findLinks([
      { connection: 'sf', object: 'Lead', externalId: lead },
      { connection: 'sf', object: 'Contact', externalId: String(converted?.ConvertedContactId) },
      { connection: 'hs', object: 'contacts', externalId: contact?.id as string },
    ]);
    expect(new Set([...links.values()].map((l) => l.unifiedId)).size).toBe(1);
  });

  it('reflects a Lead converted by hand in Salesforce, without a duplicate', async () => {
    const [lead] = h.sf.seed('Lead', [
      { LastName: 'Hopper', Email: 'grace@navy.example.org', Company: 'Navy' },
    ]) as [string];
    await runSync(await h.context());
    expect(h.hs.count('contacts')).toBe(1);

    // A user converts the Lead in Salesforce's own screens (another session on the org).
    const user = (await h.context()).connectors.sf;
    const [done] =
      (await user?.convert?.([{ ref: 'by-hand', personId: lead, createOpportunity: false }])) ?? [];
    expect(done?.ok).toBe(true);

    await runSync(await h.context());
    await runSync(await h.context());
    expect(h.hs.count('contacts')).toBe(1);
    expect(sfAll('Contact')).toHaveLength(1);
    const hsContact = h.hs.store.all('contacts')[0];
    const links = await h.store.findLinks([
      { connection: 'sf', object: 'Contact', externalId: sfAll('Contact')[0]?.Id as string },
      { connection: 'hs', object: 'contacts', externalId: hsContact?.id as string },
    ]);
    expect(new Set([...links.values()].map((l) => l.unifiedId)).size).toBe(1);
    expect(links.size).toBe(2);
  });

  it('plans no conversion in a CRM whose connector cannot convert, and syncs the person all the same', async () => {
    const [lead] = h.sf.seed('Lead', [
      {
        LastName: 'Lovelace',
        Email: 'ada@analytical.example.com',
        Company: 'Analytical',
        Status: 'Working - Contacted',
      },
    ]) as [string];
    h.hs.seed('contacts', [
      {
        email: 'ada@analytical.example.com',
        lastname: 'Lovelace',
        jobtitle: 'Head of Engineering',
        country: 'United States',
        industry: 'COMPUTER_SOFTWARE',
        crm_bridge_employees: '250',
        recent_conversion_event_name: 'Demo request',
        num_conversion_events: '2',
        lifecyclestage: 'lead',
      },
    ]);
    const ctx = await h.context();
    const sf = ctx.connectors.sf;
    if (sf === undefined) throw new Error('no sf connector');
    // The same connector without the capability: every method but convert.
    const cannotConvert = new Proxy(sf, {
      get: (target, property) => {
        if (property === 'convert') return undefined;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const report = await runSync({ ...ctx, connectors: { ...ctx.connectors, sf: cannotConvert } });
    expect(report.entities.person?.quarantined).toBe(0);
    expect(h.sf.read('Lead', lead)?.IsConverted).not.toBe(true);
    // HubSpot, which can, still advances the person and adds the deal.
    expect(report.entities.person?.conversions).toBe(1);
    expect(h.hs.count('deals')).toBe(1);
  });
});
