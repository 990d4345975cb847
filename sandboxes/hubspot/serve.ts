/**
 * Runs the HubSpot sandbox on its own, seeded with generated companies, contacts and deals, for the demo and for
 * trying the connector by hand: `node sandboxes/hubspot/serve.ts [--contacts N] [--new-portal]`. The
 * portal has config/example.yaml's custom properties unless `--new-portal` asks for one without them. It prints
 * the base URL and token to export as HUBSPOT_BASE_URL and HUBSPOT_ACCESS_TOKEN; Ctrl-C stops it.
 */
import { serveArgs } from '../kit/serve-args.ts';
import { EXAMPLE_CUSTOM_PROPERTIES } from './custom-properties.ts';
import { HubSpotSandbox, SANDBOX_TOKEN } from './hubspot-sandbox.ts';

const values = serveArgs(
  'node sandboxes/hubspot/serve.ts [--contacts N] [--new-portal]',
  {
    contacts: { type: 'string', default: '500' },
    'new-portal': { type: 'boolean', default: false },
  },
  ['contacts'],
);
const contacts = Number(values.contacts);
const sandbox = await HubSpotSandbox.start(
  values['new-portal'] ? {} : { customProperties: EXAMPLE_CUSTOM_PROPERTIES },
);
const generated = sandbox.generate({
  companies: Math.ceil(contacts / 10),
  contacts,
  deals: Math.ceil(contacts / 5),
});
console.log(
  `HubSpot sandbox with ${generated.companies.length} companies, ${generated.contacts.length} contacts, ${generated.deals.length} deals`,
);
console.log(`export HUBSPOT_BASE_URL=${sandbox.url}`);
console.log(`export HUBSPOT_ACCESS_TOKEN=${SANDBOX_TOKEN}`);
process.once('SIGINT', () => {
  void sandbox.close();
});
