/**
 * Runs the Salesforce sandbox on its own, seeded with generated accounts, contacts, opportunities and leads, for the
 * demo and for trying the connector by hand: `node sandboxes/salesforce/serve.ts [--leads N] [--new-org]`.
 * The org is set up for config/example.yaml (EXAMPLE_ORG: its custom fields), or a new org with `--new-org`. It
 * prints the settings to export; Ctrl-C stops it.
 */
import { serveArgs } from '../kit/serve-args.ts';
import { EXAMPLE_ORG } from './example-org.ts';
import { startSalesforceSandbox } from './sandbox.ts';

const values = serveArgs(
  'node sandboxes/salesforce/serve.ts [--leads N] [--new-org]',
  { leads: { type: 'string', default: '500' }, 'new-org': { type: 'boolean', default: false } },
  ['leads'],
);
const leads = Number(values.leads);
const sandbox = await startSalesforceSandbox(values['new-org'] ? {} : EXAMPLE_ORG);
const seeded = sandbox.seedOrg({
  leads,
  accounts: Math.ceil(leads / 10),
  contacts: Math.ceil(leads / 2),
  opportunities: Math.ceil(leads / 5),
});
console.log(
  `Salesforce sandbox with ${seeded.accounts} accounts, ${seeded.contacts} contacts, ${seeded.opportunities} opportunities, ${seeded.leads} leads`,
);
console.log(`export SALESFORCE_INSTANCE_URL=${sandbox.url}`);
console.log(`export SALESFORCE_LOGIN_URL=${sandbox.url}`);
console.log(`export SALESFORCE_ACCESS_TOKEN='${sandbox.accessToken}'`);
console.log(`export SALESFORCE_CLIENT_ID=${sandbox.credentials.clientId}`);
console.log(`export SALESFORCE_CLIENT_SECRET=${sandbox.credentials.clientSecret}`);
console.log(`export SALESFORCE_REFRESH_TOKEN=${sandbox.credentials.refreshToken}`);
process.once('SIGINT', () => {
  void sandbox.close();
});
