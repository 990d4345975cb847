import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncReport } from '../../src/sync/run-sync.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { ENGINES } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

/**
 * People whose company exists in one CRM only (so that a real round creates the account before it places them),
 * people in both, accounts and deals on either side.
 */
function seed(h: SyncHarness) {
  const [analytical] = h.sf.seed('Account', [
    { Name: 'Analytical Engines', Website: 'https://analytical.example.com', Industry: 'Technology' },
  ]);
  h.sf.seed('Contact', [{ LastName: 'Babbage', Email: 'bob@analytical.example.com', AccountId: analytical }]);
  h.sf.seed('Lead', [{ LastName: 'Lovelace', Email: 'ada@x.example', Company: 'X Ltd', Title: 'Countess' }]);
  h.sf.seed('Opportunity', [
    {
      Name: 'Analytical expansion',
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
      AccountId: analytical,
    },
  ]);
  const [hooli, initech] = h.hs.seed('companies', [
    { name: 'Hooli', domain: 'hooli.example.com' },
    { name: 'Initech', domain: 'initech.example.com', industry: 'COMPUTER_SOFTWARE' },
  ]);
  h.hs.seed('contacts', [
    { email: 'ada@x.example', firstname: 'Ada', lastname: 'Lovelace' },
    {
      email: 'carol@hooli.example.com',
      firstname: 'Carol',
      lastname: 'Shaw',
      associatedcompanyid: String(hooli),
    },
    {
      email: 'peter@initech.example.com',
      firstname: 'Peter',
      lastname: 'Gibbons',
      associatedcompanyid: String(initech),
    },
    { email: 'dan@nowhere.example', firstname: 'Dan', lastname: 'Doe' },
  ]);
  h.hs.seed('deals', [
    { dealname: 'Hooli pilot', pipeline: 'default', dealstage: 'qualifiedtobuy', closedate: '2026-12-31' },
  ]);
}

const OBJECTS = [
  ['sf', 'Lead'],
  ['sf', 'Contact'],
  ['sf', 'Account'],
  ['sf', 'Opportunity'],
  ['hs', 'contacts'],
  ['hs', 'companies'],
  ['hs', 'deals'],
] as const;

/** Every record of both sandboxes: id → what identifies it to a person, and its change stamp. */
function records(h: SyncHarness): Map<string, { name: string; stamp: string }> {
  const out = new Map<string, { name: string; stamp: string }>();
  for (const [connection, object] of OBJECTS) {
    if (connection === 'sf') {
      for (const r of h.sf.store.all(object)) {
        const name = String(r.Email ?? r.Website ?? r.Name).replace(/^https?:\/\/(www\.)?/, '');
        out.set(`${connection}/${object}/${r.Id}`, { name, stamp: String(r.SystemModstamp) });
      }
    } else {
      for (const r of h.hs.store.all(object)) {
        const p = r.properties;
        out.set(`${connection}/${object}/${r.id}`, {
          name: String(p.email ?? p.domain ?? p.dealname),
          stamp: String(r.updatedAt),
        });
      }
    }
  }
  return out;
}

/** What a dry run planned, record by record: creates by name, updates by id. */
function planned(report: SyncReport): string[] {
  return Object.values(report.entities).flatMap((r) =>
    (r.planned ?? []).map((w) => {
      if (!w.create) return `update ${w.connection}/${w.object}/${w.id}`;
      const to = (field: string) => w.diff[field]?.to;
      const name = String(to('email') ?? to('domain') ?? to('name'));
      return `create ${w.connection}/${w.object} ${name}`;
    }),
  );
}

/** What a real round did, record by record, from the records before and after. */
function done(before: Map<string, { name: string; stamp: string }>, after: typeof before): string[] {
  const out: string[] = [];
  for (const [key, r] of after) {
    const was = before.get(key);
    if (was === undefined) out.push(`create ${key.split('/').slice(0, 2).join('/')} ${r.name}`);
    else if (was.stamp !== r.stamp) out.push(`update ${key}`);
  }
  return out;
}

describe.each(ENGINES)('a dry run, state on %s', (_engine, database) => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startHarness(database());
    seed(h);
  });
  afterEach(async () => {
    await h.close();
  });

  it('plans exactly what the real round then does, record by record, and writes nothing', async () => {
    const before = records(h);
    const calls = h.sf.calls();
    const dry = await runSync(await h.context({ policy: false }), { dryRun: true });
    expect(records(h)).toEqual(before);
    expect(await h.store.listRuns(5)).toEqual([]);
    expect(await h.store.hasLinks('hs', 'contacts')).toBe(false);
    expect(h.sf.calls()).toBeGreaterThan(calls);

    const real = await runSync(await h.context({ policy: false }));
    const plan = planned(dry).sort();
    expect(plan).toEqual(done(before, records(h)).sort());
    // Carol's and Peter's companies are created in Salesforce first: they become Contacts there, in both runs.
    expect(plan).toEqual(
      expect.arrayContaining([
        'create sf/Contact carol@hooli.example.com',
        'create sf/Contact peter@initech.example.com',
        'create sf/Lead dan@nowhere.example',
      ]),
    );
    for (const entity of ['account', 'opportunity', 'person'] as const) {
      expect(dry.entities[entity]?.creates, entity).toEqual(real.entities[entity]?.creates);
      expect(dry.entities[entity]?.updates, entity).toEqual(real.entities[entity]?.updates);
    }
  });
});
