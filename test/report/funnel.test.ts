import { describe, expect, it } from 'vitest';
import { funnelFigures, NOT_IN_STEP } from '../../src/report/funnel.ts';
import type { Census } from '../../src/store/index.ts';

const crms = [
  { connection: 'sf', system: 'salesforce' },
  { connection: 'hs', system: 'hubspot' },
];
const link = (unifiedId: string, connection: string, object: string, externalId: string) => ({
  unifiedId,
  connection,
  object,
  externalId,
});
const census = (values: Record<string, string | null>, links: Census['links'], outOfStep: string[] = []) => ({
  values: new Map(Object.entries(values)),
  links,
  outOfStep: new Set(outOfStep),
});

/** What "in each CRM" means before and after a round, on hand-made store states. */
describe('the lifecycle funnel', () => {
  it('counts before what a CRM held when read, else what was last synced, and leaves out people new to it', () => {
    const before = census({ p1: 'lead', p2: 'mql' }, [
      link('p1', 'sf', 'Lead', 'L1'),
      link('p1', 'hs', 'contacts', '1'),
      link('p2', 'sf', 'Lead', 'L2'),
      link('p2', 'hs', 'contacts', '2'),
    ]);
    const after = census({ p1: 'sql', p2: 'mql', p3: 'lead' }, [
      ...before.links,
      link('p3', 'hs', 'contacts', '3'),
      link('p3', 'sf', 'Lead', 'L3'),
    ]);
    // p1 changed in HubSpot to sql; p3 is new in HubSpot and created in Salesforce.
    const read = new Map<string, unknown>([
      ['hs/contacts/1', 'sql'],
      ['hs/contacts/3', 'lead'],
    ]);
    const f = funnelFigures({ crms, before, after, read, order: ['lead', 'mql', 'sql'] });
    expect(f.stages).toEqual(['lead', 'mql', 'sql']);
    expect(f.crms).toEqual([
      {
        connection: 'sf',
        system: 'salesforce',
        before: { lead: 1, mql: 1 },
        after: { sql: 1, mql: 1, lead: 1 },
      },
      {
        connection: 'hs',
        system: 'hubspot',
        before: { sql: 1, mql: 1, lead: 1 },
        after: { sql: 1, mql: 1, lead: 1 },
      },
    ]);
    expect(f.disagreements).toEqual({ before: 1, after: 0, both: 3 });
  });

  it('counts a record held or with an open stage issue as not in step, or at the stage read from it', () => {
    const links = [
      link('p1', 'sf', 'Lead', 'L1'),
      link('p1', 'hs', 'contacts', '1'),
      link('p2', 'sf', 'Lead', 'L2'),
      link('p2', 'hs', 'contacts', '2'),
    ];
    const before = census({ p1: 'lead', p2: 'lead' }, links);
    const after = census({ p1: 'sql', p2: 'sql' }, links, ['hs/contacts/1', 'hs/contacts/2']);
    const read = new Map<string, unknown>([['hs/contacts/1', 'customer']]);
    const f = funnelFigures({ crms, before, after, read, order: ['lead', 'sql', 'customer'] });
    expect(f.crms[1]?.after).toEqual({ customer: 1, [NOT_IN_STEP]: 1 });
    expect(f.stages).toEqual(['lead', 'sql', 'customer', NOT_IN_STEP]);
    expect(f.disagreements.after).toBe(2);
  });

  it('counts a person with a converted Lead and its Contact once, at the stage of the record read', () => {
    const links = [link('p1', 'sf', 'Lead', 'L1'), link('p1', 'sf', 'Contact', 'C1')];
    const before = census({ p1: 'sql' }, links);
    const read = new Map<string, unknown>([['sf/Contact/C1', 'opportunity']]);
    const f = funnelFigures({ crms, before, after: census({ p1: 'opportunity' }, links), read, order: [] });
    expect(f.crms[0]?.before).toEqual({ opportunity: 1 });
    expect(f.crms[0]?.after).toEqual({ opportunity: 1 });
    expect(f.stages).toEqual(['opportunity']);
  });

  it('puts people without a stage last, and stages the config does not list before them', () => {
    const links = [
      link('p1', 'hs', 'contacts', '1'),
      link('p2', 'hs', 'contacts', '2'),
      link('p3', 'hs', 'contacts', '3'),
    ];
    const after = census({ p1: null, p2: 'webinar', p3: 'lead' }, links);
    const f = funnelFigures({ crms, before: census({}, []), after, read: new Map(), order: ['lead'] });
    expect(f.stages).toEqual(['lead', 'webinar', 'none']);
    expect(f.crms[1]?.before).toEqual({});
  });
});
