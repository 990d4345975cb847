import { connectorContract } from './contract.ts';
import { startPipedrive } from './pipedrive-harness.ts';

connectorContract('pipedrive', async () => {
  const { sandbox, connector } = await startPipedrive();
  let people = 0;
  /** The connector's flat person fields as the API body the sandbox stores. */
  const body = (fields: Record<string, unknown>) => {
    const { email, ...rest } = fields;
    return {
      ...rest,
      ...(typeof email === 'string' ? { emails: [{ value: email, primary: true, label: 'work' }] } : {}),
    };
  };
  const flat = (record: Record<string, unknown> | undefined) => {
    if (!record) return undefined;
    const emails = record.emails as { value: string; primary: boolean }[] | undefined;
    return { ...record, email: emails?.find((e) => e.primary)?.value ?? null };
  };
  return {
    connector,
    personObject: 'persons',
    emailField: 'email',
    nameField: 'name',
    newPerson: (i, emailFor) => ({ email: emailFor(i), name: `Test Person ${i}` }),
    invalidPerson: () => ({ email: 'not-an-email', name: 'Broken' }),
    seed: async (object, records) => sandbox.seed(object as 'persons', records.map(body)),
    touch: async (object, ids) =>
      sandbox.touch(object as 'persons', ids, { fields: { job_title: 'Touched' } }),
    read: async (object, id) => flat(sandbox.read(object as 'persons', id)),
    count: async (object) => sandbox.count(object as 'persons'),
    calls: () => sandbox.calls(),
    convertible: async () => {
      const [person = ''] = sandbox.seed('persons', [{ name: `Convertible ${people++}` }]);
      const [lead = ''] = sandbox.seed('leads', [{ title: 'Convertible lead', person_id: Number(person) }]);
      return lead;
    },
    close: () => sandbox.close(),
  };
});
