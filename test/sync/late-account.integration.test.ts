import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSync } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

/*
 * A person written to a CRM before their account has a record there is written without it (there is no id to
 * give). Once the account has its record there, the person gets it, whether or not the person changed: the account
 * was set aside and then fixed, or its record there was found only later (an answer lost, read back by its twin id).
 */

const hsContact = (h: SyncHarness, email: string) =>
  h.hs.store.all('contacts').find((c) => String(c.properties.email).toLowerCase() === email);
const hsCompanies = (h: SyncHarness) => h.hs.store.all('companies');

describe.each(ENGINES)('a person written before their account, state on %s', (_engine, database) => {
  let h: SyncHarness;
  let account: string;
  beforeEach(async () => {
    h = await startHarness(database());
    // An account type HubSpot has no spelling for holds the whole account.
    const field = h.config.objects.account?.fields.find((f) => f.unified === 'type');
    if (field === undefined) throw new Error('the example maps no account type');
    Object.assign(field, { onInvalid: 'hold' });
    [account] = h.sf.seed('Account', [
      { Name: 'Analytical Engines', Website: 'https://analytical.example.com', Type: 'Customer - Direct' },
    ]) as [string];
    h.sf.seed('Contact', [
      { LastName: 'Babbage', FirstName: 'Charles', Email: 'bob@analytical.example.com', AccountId: account },
    ]);
  });
  afterEach(async () => {
    await h.close();
  });

  it('gets the account once it is fixed and created, though the person did not change', async () => {
    const first = await runSync(await h.context());
    expect(first.entities.account?.held).toBe(1);
    expect(hsCompanies(h)).toHaveLength(0);
    expect(hsContact(h, 'bob@analytical.example.com')?.properties.associatedcompanyid ?? null).toBeNull();
    // The round after reads its own writes back; from then on the person is not read again.
    await runSync(await h.context());

    // The admin fixes the account in Salesforce; the person is left as it is.
    h.sf.store.update('Account', account, { Type: 'Prospect' });
    const second = await runSync(await h.context());
    const [company] = hsCompanies(h);
    expect(company?.properties.type).toBe('PROSPECT');
    expect(hsContact(h, 'bob@analytical.example.com')?.properties.associatedcompanyid).toBe(company?.id);
    expect(second.entities.person?.updates).toEqual({ 'hs/contacts': 1 });

    const third = await runSync(await h.context());
    expect(third.entities.person?.updates ?? {}).toEqual({});
    expect(third.entities.account?.creates ?? {}).toEqual({});
  });

  it('gets the account when its record there is found later by its twin id', async () => {
    await runSync(await h.context());
    await runSync(await h.context());
    // The company was made in HubSpot, but crm-bridge never heard of it (its answer was lost): its twin id names
    // the Account. Salesforce's Account is fixed at the same time.
    const [id] = h.hs.seed('companies', [
      { name: 'Analytical Engines', crm_bridge_salesforce_id: account, type: 'PROSPECT' },
    ]);
    h.sf.store.update('Account', account, { Type: 'Prospect' });
    await runSync(await h.context());
    expect(hsCompanies(h)).toHaveLength(1);
    expect(hsContact(h, 'bob@analytical.example.com')?.properties.associatedcompanyid).toBe(id);
    const third = await runSync(await h.context());
    expect(third.entities.person?.updates ?? {}).toEqual({});
  });
});
