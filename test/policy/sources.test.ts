import { describe, expect, it } from 'vitest';
import { ANALYTICS_SOURCES } from '../../connectors/hubspot/standard-options.ts';
import { LEAD_SOURCES } from '../../connectors/salesforce/standard-picklists.ts';
import { explainRaw, FITTING_CONTACT, FITTING_LEAD, hsContact, sfContact, sfLead } from './explain-raw.ts';

/**
 * A source says where a person came from, not what they did. An imported record nobody touched since (no
 * conversion, no rep working it) never becomes sales-ready, whatever its source, even when it fits and its BANT
 * fields are all filled in: the best case for a false positive.
 */
const BANT_SF = {
  Budget__c: 90_000,
  Is_Decision_Maker__c: true,
  Pain_Point__c: 'two CRMs',
  Purchase_Timeline__c: 'now',
};
const BANT_HS = {
  budget: '90000',
  is_decision_maker: 'true',
  pain_point: 'two CRMs',
  purchase_timeline: 'now',
};
const ACCOUNT = {
  Name: 'Analytical Engines',
  Industry: 'Technology',
  NumberOfEmployees: 250,
  BillingCountry: 'US',
};
const CONTACT = {
  LastName: 'Babbage',
  Email: 'charles@analytical.example.com',
  Title: 'VP Operations',
  MailingCountry: 'US',
};

/** The Salesforce values that are an action of the person (they called) or of a lead-generation service. */
const SALESFORCE_INTEREST: Readonly<Record<string, string[]>> = {
  'Phone Inquiry': ['contactSales'],
  'Purchased List': ['purchasedList'],
};

describe('an untouched imported record never becomes sales-ready, whatever its source', () => {
  it.each([...ANALYTICS_SOURCES])('HubSpot original source %s: no interest at all', async (source) => {
    const result = await explainRaw(
      hsContact({ ...FITTING_CONTACT, ...BANT_HS, hs_analytics_source: source }),
    );
    expect(result).toMatchObject({ interest: [], salesReady: false, stage: 'prospect', leadType: null });
    expect(result.convert.required).toBe(false);
  });

  it.each([...LEAD_SOURCES, 'Webinar', 'Demo Request', 'Trade Show'])(
    'Salesforce Lead Source %s: not sales-ready, not converted',
    async (source) => {
      for (const record of [
        sfLead({ ...FITTING_LEAD, ...BANT_SF, LeadSource: source }),
        sfContact({ ...CONTACT, ...BANT_SF, LeadSource: source }, ACCOUNT),
      ]) {
        const result = await explainRaw(record);
        expect(result).toMatchObject({ salesReady: false, interest: SALESFORCE_INTEREST[source] ?? [] });
        expect(result.convert.required).toBe(false);
        expect(['sql', 'opportunity']).not.toContain(result.stage);
      }
    },
  );
});
