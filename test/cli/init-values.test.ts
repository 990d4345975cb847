import { describe, expect, it } from 'vitest';
import { pairValueMap, type SideValues, unifiedName } from '../../cli/init-values.ts';

const side = (
  values: Record<string, string[]>,
  known = true,
  labels: Record<string, string> = {},
): SideValues => ({
  known,
  values: new Map(Object.entries(values)),
  labels: new Map(Object.entries(labels)),
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

  it('finds an entry’s value under another spelling or its label when the CRM does not hold it as written', () => {
    const paired = pairValueMap(
      { won: { sf: 'Closed Won', hs: 'closedwon' }, lost: { sf: 'Closed Lost', hs: 'closedlost' } },
      {
        sf: side({ 'CLOSED WON': ['Opportunity.StageName'], Closed_Lost: ['Opportunity.StageName'] }),
        // A portal whose pipeline's stages have ids: the labels are what the example's values spell.
        hs: side({ '1039257': ['deals.dealstage'], '1039258': ['deals.dealstage'] }, true, {
          '1039257': 'Closed Won',
          '1039258': 'Closed Lost',
        }),
      },
    );
    expect(paired.entries).toEqual({
      won: { sf: 'CLOSED WON', hs: '1039257' },
      lost: { sf: 'Closed_Lost', hs: '1039258' },
    });
    expect(paired.missing).toEqual([]);
    expect(paired.undecided).toEqual([]);
  });

  it('pairs a value with the other CRM’s value or label, and labels with labels, however spelled', () => {
    const paired = pairValueMap(
      {},
      {
        // Salesforce: a value whose label is itself, one named apart from its label, one whose label is another's.
        sf: side(
          { Tepid: ['Lead.Rating'], WS_01: ['Lead.LeadSource'], Stage_7: ['Opportunity.StageName'] },
          true,
          { WS_01: 'Web Seminar', Stage_7: 'Renewal due' },
        ),
        // HubSpot: option values are names or ids; people see the labels.
        hs: side(
          { lukewarm_2024: ['contacts.t'], WEB_SEMINAR: ['contacts.s'], '1039256': ['deals.dealstage'] },
          true,
          { lukewarm_2024: 'tepid', WEB_SEMINAR: 'Webinar (live)', '1039256': 'Renewal Due' },
        ),
      },
    );
    expect(paired.entries).toEqual({
      tepid: { sf: 'Tepid', hs: 'lukewarm_2024' },
      webSeminar: { sf: 'WS_01', hs: 'WEB_SEMINAR' },
      renewalDue: { sf: 'Stage_7', hs: '1039256' },
    });
    expect(paired.added).toEqual(['tepid', 'webSeminar', 'renewalDue']);
    expect(paired.undecided).toEqual([]);
  });

  it('leaves a value to decide, with its label, when two of the other CRM’s answer to it', () => {
    const paired = pairValueMap(
      {},
      {
        sf: side({ Partner: ['Account.Type'], Vendor: ['Account.Type'] }),
        hs: side({ PARTNER: ['companies.type'], partner_old: ['companies.type'] }, true, {
          partner_old: 'Partner',
        }),
      },
    );
    expect(paired.entries).toEqual({});
    expect(paired.undecided).toEqual([
      { connection: 'sf', value: 'Partner', fields: ['Account.Type'] },
      { connection: 'sf', value: 'Vendor', fields: ['Account.Type'] },
      { connection: 'hs', value: 'PARTNER', fields: ['companies.type'] },
      { connection: 'hs', value: 'partner_old', label: 'Partner', fields: ['companies.type'] },
    ]);
  });

  it('names a new entry after the value', () => {
    expect(unifiedName('Partner Referral')).toBe('partnerReferral');
    expect(unifiedName('TRADE_SHOW')).toBe('tradeShow');
    expect(unifiedName('2nd Call')).toBe('v2ndCall');
  });
});
