import { explainCommand } from '../../cli/explain-command.ts';
import { captureOutput } from '../../cli/output.ts';
import type { Classification } from '../../src/policy/index.ts';

/** The moment every raw-record test classifies at. */
export const EXPLAIN_NOW = '2025-01-15T00:00:00Z';

type Fields = Record<string, unknown>;

/** A record as a CRM returns it, with the account and opportunities explain reads beside it. */
export interface RawRecord {
  readonly connection: 'sf' | 'hs';
  readonly object: string;
  readonly id?: string;
  readonly fields: Fields;
  readonly account?: { readonly fields: Fields };
  readonly opportunities?: readonly { readonly fields: Fields }[];
  readonly converted?: Fields;
}

/** A Salesforce Lead that fits the default ideal customer profile and has shown no interest. */
export const FITTING_LEAD: Fields = {
  LastName: 'Lovelace',
  Email: 'ada@analytical.example.com',
  Company: 'Analytical Engines',
  Title: 'VP Operations',
  Country: 'United States',
  Industry: 'Technology',
  NumberOfEmployees: 250,
  LeadSource: 'Other',
};

/** The same fitting person as HubSpot holds them, every property a string. */
export const FITTING_CONTACT: Fields = {
  email: 'ada@analytical.example.com',
  lastname: 'Lovelace',
  jobtitle: 'VP Operations',
  country: 'United States',
  industry: 'COMPUTER_SOFTWARE',
  crm_bridge_employees: '250',
  hs_analytics_source: 'DIRECT_TRAFFIC',
};

/** A Salesforce Lead outside the profile (a student abroad at a small school) with no interest. */
export const OUTSIDER_LEAD: Fields = {
  LastName: 'Silva',
  Email: 'ana@escola.example.br',
  Company: 'Escola',
  Title: 'Student',
  Country: 'Brazil',
  Industry: 'Education',
  NumberOfEmployees: 3,
  LeadSource: 'Other',
};

export const sfLead = (fields: Fields, extra: Partial<RawRecord> = {}): RawRecord => ({
  connection: 'sf',
  object: 'Lead',
  id: '00Q000000000001AAA',
  fields,
  ...extra,
});

export const sfContact = (fields: Fields, account: Fields, extra: Partial<RawRecord> = {}): RawRecord => ({
  connection: 'sf',
  object: 'Contact',
  id: '003000000000001AAA',
  fields: { ...fields, AccountId: '001000000000001AAA' },
  account: { fields: account },
  ...extra,
});

export const hsContact = (fields: Fields, extra: Partial<RawRecord> = {}): RawRecord => ({
  connection: 'hs',
  object: 'contacts',
  id: '101',
  fields,
  ...extra,
});

/** Runs `crm-bridge explain --json` on a raw record, through config/example.yaml and its default policy. */
export async function explainRaw(record: RawRecord): Promise<Classification> {
  const output = captureOutput();
  const code = await explainCommand(
    { now: EXPLAIN_NOW, json: true, config: 'config/example.yaml' },
    output,
    async () => JSON.stringify(record),
  );
  if (code !== 0) throw new Error(`explain exited ${code}: ${output.stderr}`);
  return JSON.parse(output.stdout) as Classification;
}

/** Runs `crm-bridge explain` (text) on a raw record. */
export async function explainRawText(record: RawRecord, ...flags: ('trace' | 'json')[]): Promise<string> {
  const output = captureOutput();
  const code = await explainCommand(
    { now: EXPLAIN_NOW, config: 'config/example.yaml', trace: flags.includes('trace') },
    output,
    async () => JSON.stringify(record),
  );
  if (code !== 0) throw new Error(`explain exited ${code}: ${output.stderr}`);
  return output.stdout;
}
