import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncContext } from '../../src/sync/context.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

const propagating = (ctx: SyncContext): SyncContext => ({
  ...ctx,
  config: { ...ctx.config, sync: { ...ctx.config.sync, deletes: 'propagate' } },
});

describe.each(ENGINES)('deletes and merges, state on %s', (_engine, database) => {
  let h: SyncHarness;
  let ada: string;
  let grace: string;
  beforeEach(async () => {
    h = await startHarness(database());
    [ada, grace] = h.sf.seed('Lead', [
      { LastName: 'Lovelace', Email: 'ada@x.example', Company: 'X Ltd' },
      { LastName: 'Hopper', Email: 'grace@navy.example.org', Company: 'Navy' },
    ]) as [string, string];
    await runSync(await h.context());
    expect(h.hs.count('contacts')).toBe(2);
  });
  afterEach(async () => {
    await h.close();
  });

  const hsContact = (email: string) => h.hs.store.all('contacts').find((c) => c.properties.email === email);
  const linked = async (connection: string, object: string, externalId: string) =>
    (await h.store.findLinks([{ connection, object, externalId }])).size === 1;

  it('by default only unlinks: the twin stays, and the round reports it', async () => {
    h.sf.remove('Lead', [ada]);
    const report = await runSync(await h.context());
    expect(report.entities.person?.deletes).toEqual({ unlinked: 1, propagated: 0, merged: 0 });
    expect(hsContact('ada@x.example')).toBeDefined();
    expect(await linked('sf', 'Lead', ada)).toBe(false);
  });

  it('with deletes: propagate, deletes the twin in the other CRM', async () => {
    const twin = hsContact('ada@x.example')?.id as string;
    h.sf.remove('Lead', [ada]);
    const report = await runSync(propagating(await h.context()));
    expect(report.entities.person?.deletes).toEqual({ unlinked: 0, propagated: 1, merged: 0 });
    expect(hsContact('ada@x.example')).toBeUndefined();
    expect(h.hs.read('contacts', twin)).toBeUndefined();
    expect(await linked('hs', 'contacts', twin)).toBe(false);
    expect(h.hs.count('contacts')).toBe(1);
  });

  it('with deletes: propagate, deletes the Salesforce twin of a contact archived in HubSpot', async () => {
    const contact = hsContact('grace@navy.example.org')?.id as string;
    h.hs.store.archive('contacts', contact);
    const report = await runSync(propagating(await h.context()));
    expect(report.entities.person?.deletes).toEqual({ unlinked: 0, propagated: 1, merged: 0 });
    expect(h.sf.read('Lead', grace)?.IsDeleted).toBe(true);
    expect(await linked('sf', 'Lead', grace)).toBe(false);
    expect(await h.store.listQuarantine()).toEqual([]);
  });

  it('quarantines a twin a connector cannot delete, naming what to do', async () => {
    const contact = hsContact('grace@navy.example.org')?.id as string;
    h.hs.store.archive('contacts', contact);
    const ctx = propagating(await h.context());
    const sf = ctx.connectors.sf;
    if (!sf) throw new Error('no sf connector');
    // A connector without remove(): the same Salesforce connector, its delete capability left out.
    const withoutRemove = {
      system: sf.system,
      describe: (object: string) => sf.describe(object),
      pull: (...args: Parameters<typeof sf.pull>) => sf.pull(...args),
      push: (...args: Parameters<typeof sf.push>) => sf.push(...args),
      convert: (...args: Parameters<NonNullable<typeof sf.convert>>) =>
        sf.convert?.(...args) ?? Promise.resolve([]),
    };
    await runSync({ ...ctx, connectors: { ...ctx.connectors, sf: withoutRemove } });
    const entries = await h.store.listQuarantine();
    expect(entries.map((e) => [e.connection, e.object, e.externalId, e.reason])).toEqual([
      [
        'sf',
        'Lead',
        grace,
        `its twin hs contacts ${contact} was deleted, and this connector cannot delete: delete it by hand`,
      ],
    ]);
    expect(h.sf.read('Lead', grace)?.IsDeleted).toBe(false);
  });

  it('follows a merge, and asks for the twin merge it cannot make itself', async () => {
    const twinOfGrace = hsContact('grace@navy.example.org')?.id as string;
    h.sf.remove('Lead', [grace], ada);
    const report = await runSync(await h.context());
    expect(report.entities.person?.deletes.merged).toBe(1);
    expect(await linked('sf', 'Lead', grace)).toBe(false);
    const [entry] = await h.store.listQuarantine();
    expect(entry).toMatchObject({
      connection: 'hs',
      object: 'contacts',
      externalId: twinOfGrace,
      reason: `its sf record ${grace} was merged into ${ada}, whose twin here is another record: merge the two here too`,
    });
  });
});
