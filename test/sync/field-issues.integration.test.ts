import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSync } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

const account = (h: SyncHarness) => [...h.sf.store.all('Account')][0];
const company = (h: SyncHarness) => h.hs.store.all('companies')[0];

describe.each(ENGINES)('a value with no counterpart, state on %s', (_engine, database) => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startHarness(database());
    // HubSpot has no customer company type; this map knows no HubSpot value for industry `Energy`'s twin either.
    h.config.valueMaps.accountType = {
      prospect: { sf: 'Prospect', hs: 'PROSPECT' },
      customer: { sf: 'Customer - Direct' },
    };
    h.config.valueMaps.industry = {
      energy: { sf: 'Energy', hs: 'OIL_ENERGY' },
      technology: { sf: 'Technology', hs: 'COMPUTER_SOFTWARE' },
    };
    h.sf.seed('Account', [
      {
        Name: 'Analytical Engines',
        Website: 'https://analytical.example.com',
        Type: 'Customer - Direct',
        Industry: 'Energy',
        Phone: '+44 20 7946 0000',
      },
    ]);
    h.hs.seed('companies', [
      { name: 'Analytical Engines', domain: 'analytical.example.com', industry: 'MACHINERY' },
    ]);
  });
  afterEach(async () => {
    await h.close();
  });

  it('syncs the rest of the record, leaves the field as the target has it, and never takes that for a change', async () => {
    const first = await runSync(await h.context());
    expect(first.entities.account?.quarantined).toBe(2);
    // The phone crossed over; HubSpot's type stays blank and its industry stays the one crm-bridge cannot read.
    expect(company(h)?.properties).toMatchObject({ phone: '+442079460000', industry: 'MACHINERY' });
    expect(company(h)?.properties.type ?? '').toBe('');
    const issues = (await h.store.listQuarantine()).map((e) => [e.kind, e.connection, e.field, e.value]);
    expect(issues.sort()).toEqual([
      ['field', 'hs', 'industry', 'MACHINERY'],
      ['field', 'sf', 'type', 'customer'],
    ]);

    // HubSpot changes the company's name: its blank type and unread industry must not flow back to Salesforce.
    h.hs.store.update('companies', String(company(h)?.id), { name: 'Analytical Engines Ltd' });
    await runSync(await h.context());
    expect(account(h)).toMatchObject({
      Name: 'Analytical Engines Ltd',
      Type: 'Customer - Direct',
      Industry: 'Energy',
    });
    expect(company(h)?.properties.industry).toBe('MACHINERY');

    // Once HubSpot has a counterpart, the field issue goes by itself and the value lands.
    h.config.valueMaps.accountType = {
      prospect: { sf: 'Prospect', hs: 'PROSPECT' },
      customer: { sf: 'Customer - Direct', hs: 'OTHER' },
    };
    h.sf.store.update('Account', String(account(h)?.Id), { Description: 'Engines' });
    await runSync(await h.context());
    expect(company(h)?.properties.type).toBe('OTHER');
    const open = (await h.store.listQuarantine()).map((e) => [e.connection, e.field]);
    expect(open).toEqual([['hs', 'industry']]);
  });
});
