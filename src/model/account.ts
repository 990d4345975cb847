import * as z from 'zod';
import { Address, decimal, integer, Link, recordBase, text } from './common.ts';

/** A company or organisation: Salesforce Account, HubSpot company. */
export const Account = z.strictObject({
  ...recordBase,
  name: text(),
  domain: text(),
  website: text(),
  phone: text(),
  industry: text(),
  employees: integer(),
  annualRevenue: decimal(),
  type: text(),
  description: text(),
  ownerId: text(),
  address: Address.optional(),
  parent: Link.nullable().optional(),
  lifecycleStage: text(),
});
export type Account = z.infer<typeof Account>;
export type AccountInput = z.input<typeof Account>;
