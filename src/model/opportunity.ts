import * as z from 'zod';
import { date, decimal, flag, Link, recordBase, text } from './common.ts';

/** An ongoing deal with a qualified buyer: Salesforce Opportunity, HubSpot deal. */
export const Opportunity = z.strictObject({
  ...recordBase,
  name: text(),
  amount: decimal(),
  currency: text(),
  /** The stage in unified terms; value maps translate it to a picklist value or a pipeline stage id. */
  stage: text(),
  pipeline: text(),
  probability: decimal(),
  closeDate: date(),
  type: text(),
  leadSource: text(),
  nextStep: text(),
  description: text(),
  isClosed: flag(),
  isWon: flag(),
  ownerId: text(),
  account: Link.nullable().optional(),
  contacts: z.array(Link).nullable().optional(),
});
export type Opportunity = z.infer<typeof Opportunity>;
export type OpportunityInput = z.input<typeof Opportunity>;

/** The unified field that lists the people on a deal: a person's opportunities are the deals that name them. */
export const DEAL_CONTACTS = 'contacts' satisfies keyof Opportunity;
