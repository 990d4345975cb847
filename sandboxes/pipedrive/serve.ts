/**
 * Runs the Pipedrive sandbox on its own, seeded with generated organizations, persons, deals and leads, for the
 * demo and for trying the connector by hand: `node sandboxes/pipedrive/serve.ts [--persons N] [--new-company]`.
 * The account has a seeded account's custom fields unless `--new-company` asks for a new company's standard
 * fields only (and no records). It prints the base URL and token to export as PIPEDRIVE_BASE_URL and
 * PIPEDRIVE_API_TOKEN; Ctrl-C stops it.
 */
import { serveArgs } from '../kit/serve-args.ts';
import { PIPEDRIVE_SANDBOX_TOKEN, PipedriveSandbox } from './pipedrive-sandbox.ts';

const values = serveArgs(
  'node sandboxes/pipedrive/serve.ts [--persons N] [--new-company]',
  {
    persons: { type: 'string', default: '500' },
    'new-company': { type: 'boolean', default: false },
  },
  ['persons'],
);
const fresh = values['new-company'];
const persons = fresh ? 0 : Number(values.persons);
const sandbox = await PipedriveSandbox.start(fresh ? { customFields: {} } : {});
const generated = sandbox.generate({
  organizations: Math.ceil(persons / 10),
  persons,
  deals: Math.ceil(persons / 5),
  leads: Math.ceil(persons / 5),
});
console.log(
  `Pipedrive sandbox (${fresh ? 'new company' : 'seeded'}) with ${generated.organizations.length} organizations, ${generated.persons.length} persons, ${generated.deals.length} deals, ${generated.leads.length} leads`,
);
console.log(`export PIPEDRIVE_BASE_URL=${sandbox.url}`);
console.log(`export PIPEDRIVE_API_TOKEN=${PIPEDRIVE_SANDBOX_TOKEN}`);
process.once('SIGINT', () => {
  void sandbox.close();
});
