import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../src/mapping/index.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';
import {
  explainRaw,
  FITTING_CONTACT,
  FITTING_LEAD,
  hsContact,
  OUTSIDER_LEAD,
  type RawRecord,
  sfContact,
  sfLead,
} from './explain-raw.ts';

/**
 * One case per statement of DEFINITIONS.md, each run as `crm-bridge explain` runs it: a raw CRM record, mapped
 * through config/example.yaml, classified by config/policy.default.yaml. The first column names the definition
 * (section › statement); the README's fidelity table points here.
 */

/** A conversion history: a first inquiry, then the action that followed it (Salesforce's custom fields). */
const after = (first: string, recent: string) => ({
  First_Conversion__c: first,
  Recent_Conversion__c: recent,
  Conversion_Count__c: 2,
});
const once = (event: string) => ({
  First_Conversion__c: event,
  Recent_Conversion__c: event,
  Conversion_Count__c: 1,
});
const ACCEPTED = { Status: 'Working - Contacted' };
const BANT = {
  Budget__c: 50_000,
  Is_Decision_Maker__c: true,
  Pain_Point__c: 'two CRMs',
  Purchase_Timeline__c: 'this quarter',
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

type Case = [definition: string, record: RawRecord, expected: Record<string, unknown>];

const CASES: Case[] = [
  // Records
  [
    'Records › Lead: showed interest and may become a customer',
    sfLead({ ...OUTSIDER_LEAD, ...once('Newsletter signup') }),
    { stage: 'lead', interest: ['formFill', 'contentDownload'] },
  ],
  [
    'Records › Lead: not yet qualified (interest alone is not sales-ready)',
    sfLead({ ...FITTING_LEAD, ...once('E-book: CRM hygiene') }),
    { stage: 'lead', salesReady: false, convert: { required: false } },
  ],
  [
    'Records › Contact (broad): a partner is a contact, never a lead',
    sfContact(
      { ...CONTACT, ...after('Webinar', 'Request a demo') },
      { ...ACCOUNT, Type: 'Technology Partner' },
    ),
    { stage: 'other', leadType: null, interest: [], salesReady: false },
  ],
  [
    'Records › Contact (broad): an employee is a contact, never a lead',
    sfLead({
      ...FITTING_LEAD,
      Email: 'joe@yourcompany.example',
      ...after('Webinar', 'Request a demo'),
      ...ACCEPTED,
    }),
    { stage: 'other', leadType: null, salesReady: false, convert: { required: false } },
  ],
  [
    'Records › Contact (qualified): a Contact takes its company facts from its Account',
    sfContact(CONTACT, ACCOUNT),
    { stage: 'prospect', fit: true },
  ],
  [
    'Records › Opportunity: an ongoing deal',
    sfLead(FITTING_LEAD, {
      opportunities: [{ fields: { Name: 'Pilot', StageName: 'Prospecting', IsClosed: false, IsWon: false } }],
    }),
    { stage: 'opportunity' },
  ],
  [
    'Records › Prospect: fits the target market but has not shown interest',
    sfLead(FITTING_LEAD),
    { stage: 'prospect', fit: true, interest: [] },
  ],
  [
    'Records › Customer: has bought (a closed-won opportunity)',
    sfLead(FITTING_LEAD, {
      opportunities: [{ fields: { Name: 'Deal', StageName: 'Closed Won', IsClosed: true, IsWon: true } }],
    }),
    { stage: 'customer', convert: { required: false } },
  ],
  // Fit and interest
  [
    'Fit › a record that fits but showed no interest is a prospect',
    hsContact(FITTING_CONTACT),
    { stage: 'prospect', fit: true },
  ],
  [
    'Fit › an intern does not fit, whatever the company',
    sfLead({ ...FITTING_LEAD, Title: 'Marketing Intern' }),
    { fit: false, stage: 'other' },
  ],
  [
    'Fit › a VP outside the target market does not fit',
    sfLead({ ...FITTING_LEAD, Country: 'Brazil' }),
    { fit: false },
  ],
  [
    'Interest › form fill',
    hsContact({
      ...FITTING_CONTACT,
      num_conversion_events: '1',
      first_conversion_event_name: 'Contact form',
    }),
    { interest: expect.arrayContaining(['formFill']) },
  ],
  [
    'Interest › content download',
    sfLead({ ...OUTSIDER_LEAD, ...once('E-book: pipeline reviews') }),
    { interest: expect.arrayContaining(['contentDownload']) },
  ],
  [
    'Interest › demo request',
    sfLead({ ...OUTSIDER_LEAD, ...once('Request a demo') }),
    { interest: expect.arrayContaining(['demoRequest']) },
  ],
  [
    'Interest › free-trial start',
    sfLead({ ...OUTSIDER_LEAD, ...once('Start free trial') }),
    { interest: expect.arrayContaining(['trialStart']) },
  ],
  [
    'Interest › call to sales (a Lead Source "Phone Inquiry")',
    sfLead({ ...OUTSIDER_LEAD, LeadSource: 'Phone Inquiry' }),
    { interest: ['contactSales'], stage: 'lead' },
  ],
  [
    'Interest › event attendance',
    sfLead({ ...OUTSIDER_LEAD, ...once('Webinar: CRM hygiene') }),
    { interest: expect.arrayContaining(['eventAttendance']) },
  ],
  [
    'Interest › starting a chat on the website',
    hsContact({
      ...FITTING_CONTACT,
      num_conversion_events: '1',
      first_conversion_event_name: 'Website chat',
    }),
    { interest: expect.arrayContaining(['chat']), stage: 'lead' },
  ],
  [
    'Interest › interacting on social media',
    hsContact({
      ...FITTING_CONTACT,
      num_conversion_events: '1',
      first_conversion_event_name: 'LinkedIn lead form',
    }),
    { interest: expect.arrayContaining(['socialInteraction']), stage: 'lead' },
  ],
  [
    'Interest › a lead whether or not it fits',
    sfLead({ ...OUTSIDER_LEAD, ...once('Newsletter signup') }),
    { stage: 'lead', fit: false },
  ],
  [
    'Interest › an import (HubSpot OFFLINE) is no interest',
    hsContact({ ...FITTING_CONTACT, hs_analytics_source: 'OFFLINE' }),
    { interest: [], stage: 'prospect' },
  ],
  [
    'Interest › UTM traffic (HubSpot OTHER_CAMPAIGNS) is no interest and no MSRL',
    hsContact({ ...FITTING_CONTACT, hs_analytics_source: 'OTHER_CAMPAIGNS' }),
    { interest: [], leadType: null },
  ],
  // Sales-ready
  [
    'Sales-ready › fits AND a sales-specific action after the first inquiry',
    sfLead({ ...FITTING_LEAD, ...after('E-book: CRM hygiene', 'Request a demo') }),
    { salesReady: true },
  ],
  [
    'Sales-ready › a sales action that is the first inquiry is not "eine weitere Aktion"',
    sfLead({ ...FITTING_LEAD, ...once('Request a demo') }),
    { salesReady: false },
  ],
  [
    'Sales-ready › a sales action without fit is not enough',
    sfLead({ ...OUTSIDER_LEAD, ...after('E-book', 'Request a demo') }),
    { salesReady: false, fit: false },
  ],
  [
    'Sales-ready › or the lead score passes the agreed threshold',
    hsContact({
      email: 'x@y.example',
      lastname: 'X',
      num_conversion_events: '4',
      first_conversion_event_name: 'Pricing whitepaper',
      recent_conversion_event_name: 'Request a demo',
      hs_analytics_num_page_views: '30',
      hs_last_sales_activity_timestamp: '2025-01-10T00:00:00Z',
    }),
    { fit: false, salesReady: true },
  ],
  [
    'Sales-ready › until then it is not handed to sales, so it is not an SQL',
    sfLead({ ...FITTING_LEAD, ...once('E-book'), ...ACCEPTED, Purchase_Timeline__c: 'now' }),
    { salesReady: false, stage: 'lead' },
  ],
  [
    'Sales-ready › marketing keeps unqualified leads; only sales-ready ones go to sales',
    sfLead({ ...FITTING_LEAD, ...after('E-book', 'Start free trial') }),
    { salesReady: true, stage: 'lead', convert: { required: false } },
  ],
  [
    'Sales-ready › a sales-ready lead a rep accepted is an SQL stage and is converted',
    sfLead({ ...FITTING_LEAD, ...after('E-book', 'Start free trial'), ...ACCEPTED }),
    { stage: 'sql', convert: { required: true } },
  ],
  // Lead types
  [
    'Lead types › IQL: asked for information about a specific product',
    sfLead({ ...OUTSIDER_LEAD, ...once('Pricing whitepaper') }),
    { leadType: 'IQL' },
  ],
  [
    'Lead types › IQL: a demo request is the product shown, as alike to sales as a trial',
    sfLead({ ...FITTING_LEAD, ...after('E-book', 'Request a demo'), ...ACCEPTED }),
    { leadType: 'IQL', salesReady: true, stage: 'sql', convert: { required: true } },
  ],
  [
    'Lead types › IQL: a free trial is the product tried, as alike to sales as a demo',
    sfLead({ ...FITTING_LEAD, ...after('E-book', 'Start free trial'), ...ACCEPTED }),
    { leadType: 'IQL', salesReady: true, stage: 'sql', convert: { required: true } },
  ],
  [
    'Lead types › MQL: details for a general marketing asset',
    sfLead({ ...OUTSIDER_LEAD, ...once('E-book: CRM hygiene') }),
    { leadType: 'MQL' },
  ],
  [
    'Lead types › SQL: an IQL or MQL that talked to sales and intends to decide',
    sfLead({ ...OUTSIDER_LEAD, ...once('E-book'), ...ACCEPTED, Purchase_Timeline__c: 'next year' }),
    { leadType: 'SQL' },
  ],
  [
    'Lead types › SRL: asked to talk to sales directly',
    sfLead({ ...OUTSIDER_LEAD, ...once('Contact sales') }),
    { leadType: 'SRL' },
  ],
  [
    'Lead types › SRL: treated as opportunity-level once sales-ready and accepted',
    sfLead({ ...FITTING_LEAD, ...after('E-book', 'Contact sales'), ...ACCEPTED }),
    { leadType: 'SRL', stage: 'opportunity', convert: { required: true } },
  ],
  [
    'Lead types › MSRL: bought from a lead-generation service',
    sfLead({ ...OUTSIDER_LEAD, LeadSource: 'Purchased List' }),
    { leadType: 'MSRL', salesReady: false },
  ],
  [
    'Lead types › "MQL" has one meaning: a lead type, never a score-reached stage',
    hsContact({
      ...FITTING_CONTACT,
      num_conversion_events: '3',
      first_conversion_event_name: 'Pricing whitepaper',
      hs_analytics_num_page_views: '20',
    }),
    { leadType: 'IQL', stage: 'lead' },
  ],
  // Temperature
  [
    'Temperature › hot meets most or all four criteria (≥ 3)',
    sfLead({ ...OUTSIDER_LEAD, Budget__c: 20_000, Is_Decision_Maker__c: true, Pain_Point__c: 'duplicates' }),
    { temperature: 'hot' },
  ],
  [
    'Temperature › warm meets some (2)',
    sfLead({ ...OUTSIDER_LEAD, Pain_Point__c: 'duplicates', Purchase_Timeline__c: 'within 2 months' }),
    { temperature: 'warm' },
  ],
  [
    'Temperature › cold meets only one',
    sfLead({ ...OUTSIDER_LEAD, Budget__c: 20_000 }),
    { temperature: 'cold' },
  ],
  [
    'Temperature › budget: at least 10,000 (a starting point)',
    sfLead({ ...OUTSIDER_LEAD, Budget__c: 9_999, Is_Decision_Maker__c: true }),
    { temperature: 'cold' },
  ],
  [
    'Temperature › authority: a Director can decide',
    sfLead({ ...OUTSIDER_LEAD, Title: 'Director of IT', Budget__c: 20_000 }),
    { temperature: 'warm' },
  ],
  [
    'Temperature › need: "none" is not a need',
    sfLead({ ...OUTSIDER_LEAD, Pain_Point__c: 'none', Budget__c: 20_000 }),
    { temperature: 'cold' },
  ],
  [
    'Temperature › engagement raises the temperature, not only BANT',
    hsContact({
      email: 'x@y.example',
      lastname: 'X',
      num_conversion_events: '4',
      first_conversion_event_name: 'E-book',
      hs_analytics_num_page_views: '15',
    }),
    { temperature: 'warm' },
  ],
  // Funnel order
  [
    'Funnel order › stages only move forward unless a rule allows a move back',
    sfLead({ ...OUTSIDER_LEAD, ...once('E-book'), Lifecycle_Stage__c: 'SQL' }),
    { stage: 'sql' },
  ],
  [
    'Funnel order › a HubSpot subscriber has shown interest: a lead, not a prospect',
    hsContact({
      ...FITTING_CONTACT,
      lifecyclestage: 'subscriber',
      num_conversion_events: '1',
      first_conversion_event_name: 'Blog subscription',
    }),
    { stage: 'lead', leadType: 'MQL' },
  ],
  [
    'Funnel order › a lost deal sends an opportunity back to sales follow-up',
    sfLead(
      { ...OUTSIDER_LEAD, ...once('E-book'), Lifecycle_Stage__c: 'Opportunity' },
      {
        opportunities: [{ fields: { Name: 'Lost', StageName: 'Closed Lost', IsClosed: true, IsWon: false } }],
      },
    ),
    { stage: 'lead' },
  ],
  // Conversion
  [
    'Conversion › a Salesforce Contact is already converted: nothing to convert',
    sfContact({ ...CONTACT, ...after('E-book', 'Request a demo'), ...BANT }, ACCOUNT),
    { convert: { required: false } },
  ],
  [
    'Conversion › a converted Lead stays read-only and is never converted again',
    sfLead(
      { ...FITTING_LEAD, ...after('E-book', 'Request a demo'), ...ACCEPTED },
      { converted: { contactId: '003000000000009AAA' } },
    ),
    { convert: { required: false, reason: expect.stringContaining('already converted in Salesforce') } },
  ],
  [
    'Conversion › in HubSpot, conversion is an advance of the lifecycle stage',
    hsContact({
      ...FITTING_CONTACT,
      num_conversion_events: '2',
      first_conversion_event_name: 'E-book',
      recent_conversion_event_name: 'Request a demo',
      hs_lead_status: 'IN_PROGRESS',
    }),
    { convert: { required: true, hubspot: { lifecycleStage: 'sql' } } },
  ],
  [
    'Conversion › a new person at a customer account is not a customer themselves',
    sfContact({ ...CONTACT, ...once('E-book') }, { ...ACCOUNT, Type: 'Customer - Direct' }),
    { stage: 'lead' },
  ],
];

describe('Records › Prospect, written back: a stage that claims no interest', () => {
  it('writes a prospect to HubSpot as other, never subscriber, and to Salesforce as Prospect', async () => {
    const mapping = compileMapping(await exampleConfig());
    const write = (connection: 'sf' | 'hs', object: string) =>
      mapping.toExternal('person', connection, object, { kind: 'lead', lifecycleStage: 'prospect' } as never);
    expect(write('hs', 'contacts')).toMatchObject({ ok: true, value: { lifecyclestage: 'other' } });
    expect(write('sf', 'Lead')).toMatchObject({ ok: true, value: { Lifecycle_Stage__c: 'Prospect' } });
  });
});

describe('DEFINITIONS.md, statement by statement, through crm-bridge explain from raw CRM records', () => {
  it('covers at least 25 statements, each once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(CASES.map(([definition]) => definition)).size).toBe(CASES.length);
  });

  it.each(CASES)('%s', async (_, record, expected) => {
    expect(await explainRaw(record)).toMatchObject(expected);
  });
});
