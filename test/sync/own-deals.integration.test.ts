import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSync } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

/**
 * A person is an opportunity or a customer through the deals they are on (Salesforce contact roles, HubSpot
 * deal-contact associations), not through every deal of their account: a new colleague at a customer account is
 * not a customer.
 */
describe.each(ENGINES)("a person's own deals, state on %s", (_engine, database) => {
  let h: SyncHarness;
  let alice: string;
  let bob: string;
  let deal: string;
  beforeEach(async () => {
    h = await startHarness(database());
    const [account] = h.sf.seed('Account', [
      { Name: 'Difference Engines', Website: 'https://difference.example.com', Type: 'Prospect' },
    ]) as [string];
    [alice, bob] = h.sf.seed('Contact', [
      { FirstName: 'Alice', LastName: 'Buyer', Email: 'alice@difference.example.com', AccountId: account },
      { FirstName: 'Bob', LastName: 'Newhire', Email: 'bob@difference.example.com', AccountId: account },
    ]) as [string, string];
    [deal] = h.sf.seed('Opportunity', [
      {
        Name: 'Difference Engines - renewal',
        AccountId: account,
        StageName: 'Closed Won',
        CloseDate: '2026-11-01',
        Amount: 50000,
      },
    ]) as [string];
    h.sf.seed('OpportunityContactRole', [{ OpportunityId: deal, ContactId: alice, Role: 'Decision Maker' }]);
  });
  afterEach(async () => {
    await h.close();
  });

  const stageInHubSpot = (email: string) =>
    h.hs.store.all('contacts').find((c) => c.properties.email === email)?.properties.lifecyclestage;

  it('makes the person on a won deal a customer, and the colleague without one nothing of the kind', async () => {
    const report = await runSync(await h.context());
    expect(report.entities.person?.quarantined).toBe(0);
    expect(stageInHubSpot('alice@difference.example.com')).toBe('customer');
    expect(stageInHubSpot('bob@difference.example.com')).not.toBe('customer');
    expect(h.sf.read('Contact', alice)?.Lifecycle_Stage__c).toBe('Customer');
    expect(h.sf.read('Contact', bob)?.Lifecycle_Stage__c).not.toBe('Customer');

    // Bob joins the deal: the deal changed, so Bob is classified again in the same round, unchanged himself.
    h.sf.seed('OpportunityContactRole', [{ OpportunityId: deal, ContactId: bob, Role: 'Influencer' }]);
    h.sf.touch('Opportunity', [deal]);
    await runSync(await h.context());
    expect(stageInHubSpot('bob@difference.example.com')).toBe('customer');
    expect(h.sf.read('Contact', bob)?.Lifecycle_Stage__c).toBe('Customer');
  });
});
