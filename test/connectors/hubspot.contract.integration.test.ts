import { connectorContract } from './contract.ts';
import { startHubSpot } from './hubspot-harness.ts';

connectorContract('hubspot', async () => {
  const { sandbox, connector } = await startHubSpot();
  let people = 0;
  return {
    connector,
    personObject: 'contacts',
    emailField: 'email',
    nameField: 'lastname',
    newPerson: (i, emailFor) => ({ email: emailFor(i), firstname: 'Test', lastname: `Person ${i}` }),
    invalidPerson: () => ({ email: 'not-an-email', lastname: 'Broken' }),
    seed: async (object, records) => sandbox.seed(object, records),
    touch: async (object, ids) => sandbox.touch(object, ids, { fields: { jobtitle: 'Touched' } }),
    read: async (object, id) => sandbox.read(object, id),
    count: async (object) => sandbox.count(object),
    calls: () => sandbox.calls(),
    convertible: async () => {
      const [id = ''] = sandbox.seed('contacts', [
        { email: `convertible.${people++}@example.com`, lastname: 'Convertible', lifecyclestage: 'lead' },
      ]);
      return id;
    },
    close: () => sandbox.close(),
  };
});
