import * as z from 'zod';
import {
  Address,
  datetime,
  decimal,
  email,
  flag,
  integer,
  Link,
  recordBase,
  text,
  textList,
} from './common.ts';

/** A lead is an unqualified person (Salesforce Lead, HubSpot contact at stage `lead`); a contact is qualified. */
export const PERSON_KINDS = ['lead', 'contact'] as const;

/** What a Salesforce lead conversion produced (external ids in the converting system). */
export const Conversion = z.strictObject({
  at: datetime(),
  contactId: text(),
  accountId: text(),
  opportunityId: text(),
});
export type ConversionMarker = z.infer<typeof Conversion>;

/** One schema for every person in every CRM: Salesforce Leads and Contacts, HubSpot contacts. */
export const Person = z.strictObject({
  ...recordBase,
  kind: z.enum(PERSON_KINDS),
  salutation: text(),
  firstName: text(),
  lastName: text(),
  email: email(),
  otherEmails: textList(),
  phone: text(),
  mobilePhone: text(),
  title: text(),
  seniority: text(),
  department: text(),
  /** The company name as the person gave it (a Salesforce Lead's `Company`). */
  company: text(),
  website: text(),
  domain: text(),
  address: Address.optional(),
  industry: text(),
  employees: integer(),
  annualRevenue: decimal(),
  ownerId: text(),
  leadSource: text(),
  leadStatus: text(),
  /** The funnel stage in unified terms (prospect, lead, mql, sql, opportunity, customer, evangelist, other). */
  lifecycleStage: text(),
  leadType: text(),
  temperature: text(),
  score: decimal(),
  /**
   * Where a rep's check of the person's conversion stands, as the policy decides it (`conversion.approval: rep`):
   * `proposed` (sales-ready, waiting for a rep), `accepted`, or null.
   */
  conversionProposal: text(),
  /** When the person was first proposed for conversion; kept while proposed or accepted. */
  conversionProposedAt: datetime(),
  rating: text(),
  description: text(),
  emailOptOut: flag(),
  doNotCall: flag(),
  /** Marketing facts the policy reads as interest signals. */
  firstConversion: text(),
  recentConversion: text(),
  conversionCount: integer(),
  pageViews: integer(),
  lastActivityAt: datetime(),
  account: Link.nullable().optional(),
  /** Set once a lead was converted; the lead itself stays, read-only. */
  converted: Conversion.nullable().optional(),
});
export type Person = z.infer<typeof Person>;
/** A person as a caller builds one, before defaults apply. */
export type PersonInput = z.input<typeof Person>;
