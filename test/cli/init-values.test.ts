import { describe, expect, it } from 'vitest';
import { pairValueMap, type SideValues, unifiedName } from '../../cli/init-values.ts';

const side = (values: Record<string, string[]>, known = true): SideValues => ({
  known,
  values: new Map(Object.entries(values)),
});

/** How `crm-bridge init` fits the standard value maps to the picklist values an org and a portal hold. */
describe('pairing a value map with both CRMs', () => {
  it('keeps each entry’s values the CRM holds, spelled as it spells them, and leaves out the others', () => {
    const paired = pairValueMap(
      {
        hot: { sf: 'Hot', hs: 'hot' },
        warm: { sf: 'Warm', hs: 'warm' },
        cold: { sf: ['Cold', 'Frozen'], hs: 'cold' },
      },
      {
        sf: side({ HOT: ['Lead.Rating'], Cold: ['Lead.Rating'] }),
        hs: side({ hot: ['contacts.t'], warm: ['contacts.t'], cold: ['contacts.t'] }),
      },
    );
    expect(paired.entries).toEqual({
      hot: { sf: 'HOT', hs: 'hot' },
      warm: { hs: 'warm' },
      cold: { sf: 'Cold', hs: 'cold' },
    });
    expect(paired.missing).toEqual([
      { connection: 'sf', value: 'Warm' },
      { connection: 'sf', value: 'Frozen' },
    ]);
    expect(paired.undecided).toEqual([]);
  });

  it('pairs values both CRMs name alike, and leaves the rest to decide with the fields that hold them', () => {
    const paired = pairValueMap(
      { fallback: 'other', other: { sf: 'Other' } },
      {
        sf: side({
          Other: ['Lead.LeadSource'],
          'Trade Show': ['Lead.LeadSource'],
          Webinar: ['Lead.LeadSource'],
        }),
        hs: side({ TRADE_SHOW: ['contacts.source'], PODCAST: ['contacts.source'] }),
      },
    );
    expect(paired.entries).toEqual({
      fallback: 'other',
      other: { sf: 'Other' },
      tradeShow: { sf: 'Trade Show', hs: 'TRADE_SHOW' },
    });
    expect(paired.added).toEqual(['tradeShow']);
    expect(paired.undecided).toEqual([
      { connection: 'sf', value: 'Webinar', fields: ['Lead.LeadSource'] },
      { connection: 'hs', value: 'PODCAST', fields: ['contacts.source'] },
    ]);
  });

  it('keeps the standard values on a side whose field does not exist yet (setup creates it with them)', () => {
    const paired = pairValueMap(
      { lead: { sf: 'Lead', hs: 'lead' }, mql: { sf: 'MQL', hs: 'marketingqualifiedlead' } },
      {
        sf: side({}, false),
        hs: side({ lead: ['contacts.lifecyclestage'], marketingqualifiedlead: ['x'], customer: ['x'] }),
      },
    );
    expect(paired.entries).toEqual({
      lead: { sf: 'Lead', hs: 'lead' },
      mql: { sf: 'MQL', hs: 'marketingqualifiedlead' },
    });
    expect(paired.undecided).toEqual([{ connection: 'hs', value: 'customer', fields: ['x'] }]);
  });

  it('names a new entry after the value', () => {
    expect(unifiedName('Partner Referral')).toBe('partnerReferral');
    expect(unifiedName('TRADE_SHOW')).toBe('tradeShow');
    expect(unifiedName('2nd Call')).toBe('v2ndCall');
  });
});
