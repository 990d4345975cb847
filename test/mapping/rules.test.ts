import { describe, expect, it } from 'vitest';
import { outcome, readPerson, writePerson, written } from './one-field.ts';

const fields = [
  { unified: 'email', sf: 'Email', hs: 'email' },
  { unified: 'title', sf: 'Title', hs: 'jobtitle', rule: 'none' },
  { unified: 'leadSource', sf: 'LeadSource', hs: 'source', rule: 'one-way:hs->sf' },
  { unified: 'lastName', sf: 'LastName', hs: 'lastname', rule: 'always:sf' },
  { unified: 'firstName', sf: 'FirstName', hs: 'firstname', rule: 'prefer:sf' },
  { unified: 'lifecycleStage', sf: 'Stage__c', hs: 'lifecyclestage', rule: 'policy' },
];
const person = {
  email: 'ada@example.com',
  title: 'CTO',
  leadSource: 'web',
  lastName: 'Lovelace',
  firstName: 'Ada',
  lifecycleStage: 'mql',
};

describe('field rules decide what is written', () => {
  it('writes to HubSpot all but none and one-way:hs->sf', () => {
    expect(written(writePerson(fields, 'hs', person))).toEqual({
      email: 'ada@example.com',
      lastname: 'Lovelace',
      firstname: 'Ada',
      lifecyclestage: 'mql',
    });
  });

  it('writes to Salesforce all but none and always:sf', () => {
    expect(written(writePerson(fields, 'sf', person))).toEqual({
      Email: 'ada@example.com',
      LeadSource: 'web',
      FirstName: 'Ada',
      Stage__c: 'mql',
    });
  });

  it('reads every mapped field inbound, whatever its rule', () => {
    const result = readPerson(fields, 'hs', {
      email: 'ada@example.com',
      jobtitle: 'CTO',
      source: 'web',
      lastname: 'Lovelace',
      firstname: 'Ada',
      lifecyclestage: 'mql',
    });
    expect(Object.keys(person).map((path) => outcome(result, path))).toEqual(Object.values(person));
  });
});
