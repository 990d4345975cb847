import { describe, expect, it } from 'vitest';
import { outcome, readPerson, writePerson, written } from './one-field.ts';

/** Standard fields take their type from the unified model, with no transform in the config. */
describe('coercion by the unified field type', () => {
  const fields = [
    { unified: 'employees', sf: 'NumberOfEmployees', hs: 'employees' },
    { unified: 'annualRevenue', sf: 'AnnualRevenue', hs: 'annualrevenue' },
    { unified: 'emailOptOut', sf: 'HasOptedOutOfEmail', hs: 'opt_out' },
    { unified: 'email', sf: 'Email', hs: 'email' },
    { unified: 'lastActivityAt', sf: 'Last_Activity__c', hs: 'last_activity' },
    { unified: 'otherEmails', sf: 'Other_Emails__c', hs: 'other_emails' },
    { unified: 'account', sf: 'AccountId', hs: 'associatedcompanyid' },
    { unified: 'title', sf: 'Title', hs: 'jobtitle' },
    { unified: 'custom.tags', sf: 'Tags__c', hs: 'tags', type: 'stringList' },
  ];

  it('reads HubSpot strings as the model types', () => {
    const result = readPerson(fields, 'hs', {
      employees: '250',
      annualrevenue: '1250000.5',
      opt_out: 'true',
      email: 'ada@example.com',
      last_activity: '1714564800000',
      other_emails: 'ada@work.example.com;ada@home.example.com',
      associatedcompanyid: '9876543210',
      jobtitle: '',
      tags: 'vip; ;beta',
    });
    expect(result.ok && result.value).toMatchObject({
      employees: 250,
      annualRevenue: 1250000.5,
      emailOptOut: true,
      email: 'ada@example.com',
      lastActivityAt: '2024-05-01T12:00:00.000Z',
      otherEmails: ['ada@work.example.com', 'ada@home.example.com'],
      account: { refs: { hs: '9876543210' } },
      title: null,
      custom: { tags: ['vip', 'beta'] },
    });
  });

  it('writes the model types back as HubSpot strings and Salesforce JSON', () => {
    const person = {
      employees: 250,
      emailOptOut: false,
      otherEmails: ['a@example.com', 'b@example.com'],
      account: { refs: { sf: '0015e00000AcmeAAA', hs: '9876543210' } },
      title: null,
    };
    expect(written(writePerson(fields, 'hs', person))).toEqual({
      employees: '250',
      opt_out: 'false',
      other_emails: 'a@example.com;b@example.com',
      associatedcompanyid: '9876543210',
      jobtitle: '',
    });
    expect(written(writePerson(fields, 'sf', person))).toEqual({
      NumberOfEmployees: 250,
      HasOptedOutOfEmail: false,
      Other_Emails__c: 'a@example.com;b@example.com',
      AccountId: '0015e00000AcmeAAA',
      Title: null,
    });
  });

  it('omits a link the target connection has no id for, and clears a link that is null', () => {
    const link = [{ unified: 'account', sf: 'AccountId', hs: 'associatedcompanyid' }];
    expect(written(writePerson(link, 'sf', { account: { refs: { hs: '9876543210' } } }))).toEqual({});
    expect(written(writePerson(link, 'sf', { account: null }))).toEqual({ AccountId: null });
  });

  it.each([
    ['employees', 'NumberOfEmployees', 'abc', 'expected an integer'],
    ['employees', 'NumberOfEmployees', 12.5, 'expected an integer'],
    ['annualRevenue', 'AnnualRevenue', 'lots', 'expected a number'],
    ['emailOptOut', 'HasOptedOutOfEmail', 'sometimes', 'expected a boolean (true, false, yes, no, 1 or 0)'],
    ['email', 'Email', 'ada at example.com', 'invalid e-mail'],
    [
      'lastActivityAt',
      'Last_Activity__c',
      '2024-13-01T00:00:00Z',
      'expected a date-time (ISO 8601 or epoch milliseconds)',
    ],
    ['title', 'Title', { text: 'CTO' }, 'expected a string'],
    ['account', 'AccountId', true, 'expected an external id'],
  ])('refuses %s = %j from Salesforce', (unified, external, value, reason) => {
    const result = readPerson(fields, 'sf', { [external]: value });
    expect(result).toMatchObject({
      ok: false,
      failures: [{ unified, connection: 'sf', object: 'Lead', external, value, reason }],
    });
  });

  it('refuses a unified value of the wrong type outbound', () => {
    const result = writePerson(fields, 'sf', { employees: 'many' as unknown as number });
    expect(result).toMatchObject({
      ok: false,
      failures: [
        {
          unified: 'employees',
          connection: 'sf',
          object: 'Lead',
          external: 'NumberOfEmployees',
          value: 'many',
          reason: 'expected an integer',
        },
      ],
    });
  });

  it('keeps numbers as text in a text field', () => {
    expect(outcome(readPerson(fields, 'sf', { Title: 42 }), 'title')).toBe('42');
  });
});
