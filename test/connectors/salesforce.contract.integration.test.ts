import { connectorContract } from './contract.ts';
import { lead, startRig } from './salesforce-harness.ts';

connectorContract('salesforce', async () => {
  const { sandbox, connector, close } = await startRig();
  return {
    connector,
    personObject: 'Lead',
    emailField: 'Email',
    nameField: 'LastName',
    newPerson: (i, emailFor) => lead(i, emailFor(i)),
    invalidPerson: () => ({ LastName: 'Broken', Company: 'Nowhere', Email: 'not-an-e-mail' }),
    seed: async (object, records) => sandbox.seed(object, records),
    touch: async (object, ids) => sandbox.touch(object, ids, { fields: { Title: 'Changed' } }),
    read: async (object, id) => sandbox.read(object, id),
    count: async (object) => sandbox.count(object),
    calls: () => sandbox.calls(),
    convertible: async () => {
      const [id] = sandbox.seed('Lead', [lead(9000, 'convertible@example.com')]);
      return id as string;
    },
    close,
  };
});
