import { describe, expect, it } from 'vitest';
import type { Transform } from '../../src/config/schema.ts';
import type { CUSTOM_TYPES } from '../../src/model/index.ts';
import { outcome, readPerson, type Side, writePerson, written } from './one-field.ts';

type CustomType = (typeof CUSTOM_TYPES)[number];
const EXTERNAL: Record<Side, string> = { sf: 'X__c', hs: 'x' };

interface Case {
  readonly transform: Transform[];
  readonly type?: CustomType;
  /** The system the value comes from (inbound) or goes to (outbound); HubSpot unless said. */
  readonly side?: Side;
  readonly value: unknown;
  readonly expected: unknown;
}

const entry = (c: Case) => ({
  unified: 'custom.x',
  sf: EXTERNAL.sf,
  hs: EXTERNAL.hs,
  transform: c.transform,
  ...(c.type === undefined ? {} : { type: c.type }),
});
const failed = (reason: string) => ({ failed: [reason] });

const INVALID_EMAIL = failed('invalid e-mail');
const SHORT_PHONE = failed('invalid phone number (fewer than 7 digits)');

const inbound: Record<string, Case> = {
  'trim strips both ends': { transform: ['trim'], value: '  Ada Lovelace \t', expected: 'Ada Lovelace' },
  lowercase: { transform: ['lowercase'], value: 'ACME Corp', expected: 'acme corp' },
  uppercase: { transform: ['uppercase'], value: 'gb', expected: 'GB' },
  'email trims and lower-cases': {
    transform: ['email'],
    value: ' Ada@Example.COM ',
    expected: 'ada@example.com',
  },
  'email refuses a malformed address': {
    transform: ['email'],
    value: 'ada(at)example.com',
    expected: INVALID_EMAIL,
  },
  'email refuses a missing domain': { transform: ['email'], value: 'ada@', expected: INVALID_EMAIL },
  'phone keeps digits and the leading +': {
    transform: ['phone'],
    value: '+1 (415) 555-0100',
    expected: '+14155550100',
  },
  'phone reads a 00 prefix as +': {
    transform: ['phone'],
    value: '0044 20 7946 0958',
    expected: '+442079460958',
  },
  'phone leaves a national number alone': {
    transform: ['phone'],
    value: '415.555.0100',
    expected: '4155550100',
  },
  'phone adds the default calling code': {
    transform: [{ phone: { defaultCallingCode: '1' } }],
    value: '(415) 555-0100',
    expected: '+14155550100',
  },
  'phone keeps an explicit calling code over the default': {
    transform: [{ phone: { defaultCallingCode: '1' } }],
    value: '+44 20 7946 0958',
    expected: '+442079460958',
  },
  'phone reads a Salesforce number value': {
    transform: ['phone'],
    side: 'sf',
    value: 4155550100,
    expected: '4155550100',
  },
  'phone refuses fewer than 7 digits': { transform: ['phone'], value: '555-01', expected: SHORT_PHONE },
  'domainFromUrl strips scheme, www, path': {
    transform: ['domainFromUrl'],
    value: 'https://www.Acme.com/about',
    expected: 'acme.com',
  },
  'domainFromUrl strips a port and a query': {
    transform: ['domainFromUrl'],
    value: 'http://shop.acme.com:8080?ref=x',
    expected: 'shop.acme.com',
  },
  'domainFromUrl takes a bare domain': {
    transform: ['domainFromUrl'],
    value: 'WWW.Acme.COM',
    expected: 'acme.com',
  },
  'domainFromUrl refuses text with spaces': {
    transform: ['domainFromUrl'],
    value: 'see our site',
    expected: failed('expected a URL or a domain'),
  },
  'domainFromEmail takes the part after @': {
    transform: ['domainFromEmail'],
    value: 'ada@Analytical.Example.com',
    expected: 'analytical.example.com',
  },
  'domainFromEmail refuses a value without @': {
    transform: ['domainFromEmail'],
    value: 'analytical.example.com',
    expected: failed('expected an e-mail address (no @ in it)'),
  },
  'number checks a string field holds a number': { transform: ['number'], value: '1e3', expected: '1000' },
  'number refuses thousands separators': {
    transform: ['number'],
    value: '1,000',
    expected: failed('expected a number'),
  },
  'number reads a HubSpot number': { transform: ['number'], type: 'number', value: ' 42.5 ', expected: 42.5 },
  'integer reads a whole number': { transform: ['integer'], type: 'integer', value: '42', expected: 42 },
  'integer refuses a fraction': {
    transform: ['integer'],
    type: 'integer',
    value: '42.5',
    expected: failed('expected an integer'),
  },
  'boolean reads yes': { transform: ['boolean'], type: 'boolean', value: 'Yes', expected: true },
  'boolean reads 0': { transform: ['boolean'], type: 'boolean', value: '0', expected: false },
  'boolean reads FALSE': { transform: ['boolean'], type: 'boolean', value: 'FALSE', expected: false },
  'boolean refuses maybe': {
    transform: ['boolean'],
    type: 'boolean',
    value: 'maybe',
    expected: failed('expected a boolean (true, false, yes, no, 1 or 0)'),
  },
  'date takes the UTC date of a date-time': {
    transform: ['date'],
    type: 'date',
    value: '2024-06-30T22:30:00-05:00',
    expected: '2024-07-01',
  },
  'date reads epoch milliseconds': {
    transform: ['date'],
    type: 'date',
    value: '1719705600000',
    expected: '2024-06-30',
  },
  'date refuses a day that does not exist': {
    transform: ['date'],
    type: 'date',
    value: '2024-02-30',
    expected: failed('expected a date (YYYY-MM-DD, an ISO 8601 date-time or epoch milliseconds)'),
  },
  'datetime reads a Salesforce offset': {
    transform: ['datetime'],
    type: 'datetime',
    value: '2024-05-01T12:00:00.000+0000',
    expected: '2024-05-01T12:00:00.000Z',
  },
  'datetime converts an offset to UTC': {
    transform: ['datetime'],
    type: 'datetime',
    value: '2024-05-01T14:00:00+02:00',
    expected: '2024-05-01T12:00:00.000Z',
  },
  'datetime reads epoch milliseconds': {
    transform: ['datetime'],
    type: 'datetime',
    value: '1714564800000',
    expected: '2024-05-01T12:00:00.000Z',
  },
  'datetime refuses words': {
    transform: ['datetime'],
    type: 'datetime',
    value: 'yesterday',
    expected: failed('expected a date-time (ISO 8601 or epoch milliseconds)'),
  },
  'emptyToNull makes a blank null': { transform: ['emptyToNull'], value: '   ', expected: null },
  'default fills a blank': { transform: [{ default: 'Web' }], value: '', expected: 'Web' },
  'default fills a Salesforce null': {
    transform: [{ default: 'Web' }],
    side: 'sf',
    value: null,
    expected: 'Web',
  },
  'default fills an absent field': { transform: [{ default: 'Web' }], value: undefined, expected: 'Web' },
  'default keeps a value': { transform: [{ default: 'Web' }], value: 'Event', expected: 'Event' },
  'truncate cuts long text': { transform: [{ truncate: 5 }], value: 'Lovelace', expected: 'Lovel' },
  'transforms run in list order (trim, then truncate)': {
    transform: ['trim', { truncate: 3 }],
    value: '  abcdef',
    expected: 'abc',
  },
  'transforms run in list order (truncate, then trim)': {
    transform: [{ truncate: 3 }, 'trim'],
    value: '  abcdef',
    expected: 'a',
  },
  'no transform: a blank string is null': { transform: [], value: ' ', expected: null },
  'no transform: an absent field stays absent': { transform: [], value: undefined, expected: undefined },
};

const outbound: Record<string, Case> = {
  trim: { transform: ['trim'], value: ' Ada ', expected: 'Ada' },
  lowercase: { transform: ['lowercase'], value: 'ACME', expected: 'acme' },
  uppercase: { transform: ['uppercase'], value: 'gb', expected: 'GB' },
  'email normalises': { transform: ['email'], value: 'Ada@Example.com', expected: 'ada@example.com' },
  'email refuses a malformed address': {
    transform: ['email'],
    value: 'not an e-mail',
    expected: INVALID_EMAIL,
  },
  'phone normalises': { transform: ['phone'], value: '+1 415 555 0100', expected: '+14155550100' },
  'phone adds the default calling code': {
    transform: [{ phone: { defaultCallingCode: '44' } }],
    value: '20 7946 0958',
    expected: '+442079460958',
  },
  'phone refuses fewer than 7 digits': { transform: ['phone'], value: '12345', expected: SHORT_PHONE },
  'domainFromUrl leaves a domain a domain': {
    transform: ['domainFromUrl'],
    value: 'acme.com',
    expected: 'acme.com',
  },
  'domainFromEmail writes the domain as it is': {
    transform: ['domainFromEmail'],
    value: 'example.com',
    expected: 'example.com',
  },
  'number to HubSpot is a string': {
    transform: ['number'],
    type: 'number',
    value: 1250.5,
    expected: '1250.5',
  },
  'number to Salesforce stays a number': {
    transform: ['number'],
    type: 'number',
    side: 'sf',
    value: 1250.5,
    expected: 1250.5,
  },
  'integer refuses a fraction': {
    transform: ['integer'],
    type: 'integer',
    value: 2.5,
    expected: failed('expected an integer'),
  },
  'boolean to HubSpot': { transform: ['boolean'], type: 'boolean', value: true, expected: 'true' },
  'boolean to Salesforce': {
    transform: ['boolean'],
    type: 'boolean',
    side: 'sf',
    value: false,
    expected: false,
  },
  date: { transform: ['date'], type: 'date', value: '2024-06-30', expected: '2024-06-30' },
  'datetime is written in UTC': {
    transform: ['datetime'],
    type: 'datetime',
    side: 'sf',
    value: '2024-05-01T14:00:00+02:00',
    expected: '2024-05-01T12:00:00.000Z',
  },
  'emptyToNull to Salesforce': { transform: ['emptyToNull'], side: 'sf', value: ' ', expected: null },
  'null to HubSpot clears with an empty string': { transform: [], value: null, expected: '' },
  'null to Salesforce is null': { transform: [], side: 'sf', value: null, expected: null },
  'default fills null': {
    transform: [{ default: '[not provided]' }],
    side: 'sf',
    value: null,
    expected: '[not provided]',
  },
  'default fills an absent field': {
    transform: [{ default: '[not provided]' }],
    side: 'sf',
    value: undefined,
    expected: '[not provided]',
  },
  truncate: { transform: [{ truncate: 4 }], value: 'Lovelace', expected: 'Love' },
  'no transform: an absent field is not written': { transform: [], value: undefined, expected: undefined },
};

describe('transforms, inbound (external value → unified value)', () => {
  it.each(Object.entries(inbound))('%s', (_, c) => {
    const side = c.side ?? 'hs';
    const fields = c.value === undefined ? {} : { [EXTERNAL[side]]: c.value };
    expect(outcome(readPerson([entry(c)], side, fields), 'custom.x')).toEqual(c.expected);
  });
});

describe('transforms, outbound (unified value → written value)', () => {
  it.each(Object.entries(outbound))('%s', (_, c) => {
    const side = c.side ?? 'hs';
    const custom = c.value === undefined ? {} : { x: c.value as string };
    const result = written(writePerson([entry(c)], side, { custom }));
    expect(result).toEqual(
      typeof c.expected === 'object' && c.expected !== null
        ? c.expected
        : c.expected === undefined
          ? {}
          : { [EXTERNAL[side]]: c.expected },
    );
  });
});

describe('join: several external fields, one unified value', () => {
  const street = {
    unified: 'address.street',
    sf: ['Street', 'Street2', 'Street3'],
    hs: 'address',
    transform: [{ join: ', ' }],
  };

  it('joins the non-blank fields inbound', () => {
    const result = readPerson([street], 'sf', {
      Street: '1 Infinite Loop',
      Street2: '',
      Street3: 'Building 4',
    });
    expect(outcome(result, 'address.street')).toBe('1 Infinite Loop, Building 4');
  });

  it('gives null when every field is blank, and nothing when none was returned', () => {
    expect(outcome(readPerson([street], 'sf', { Street: null, Street2: ' ' }), 'address.street')).toBeNull();
    expect(outcome(readPerson([street], 'sf', {}), 'address')).toBeUndefined();
  });

  it('splits outbound: the last fields take one token each from the right, the first the rest', () => {
    const result = writePerson([street], 'sf', {
      address: { street: 'Apple Campus, 1 Infinite Loop, Building 4, Floor 2' },
    });
    expect(written(result)).toEqual({
      Street: 'Apple Campus, 1 Infinite Loop',
      Street2: 'Building 4',
      Street3: 'Floor 2',
    });
  });

  it('leaves the first fields null when there are fewer tokens than fields', () => {
    expect(written(writePerson([street], 'sf', { address: { street: '1 Infinite Loop' } }))).toEqual({
      Street: null,
      Street2: null,
      Street3: '1 Infinite Loop',
    });
  });
});

describe('split: one external field, several unified values', () => {
  const name = [
    { unified: 'firstName', hs: 'full_name', transform: [{ split: { separator: ' ', take: 'allButLast' } }] },
    { unified: 'lastName', hs: 'full_name', transform: [{ split: { separator: ' ', take: 'last' } }] },
  ];
  const firstLast = [
    { unified: 'title', hs: 'role', transform: [{ split: { separator: ' / ', take: 'allButFirst' } }] },
    { unified: 'department', hs: 'role', transform: [{ split: { separator: ' / ', take: 'first' } }] },
  ];

  it('takes each part inbound', () => {
    const result = readPerson(name, 'hs', { full_name: 'Ada King Lovelace' });
    expect([outcome(result, 'firstName'), outcome(result, 'lastName')]).toEqual(['Ada King', 'Lovelace']);
  });

  it('gives a one-word value to last (and first), leaving allButLast (and allButFirst) blank', () => {
    const result = readPerson(name, 'hs', { full_name: 'Cher' });
    expect([outcome(result, 'firstName'), outcome(result, 'lastName')]).toEqual([null, 'Cher']);
    const role = readPerson(firstLast, 'hs', { role: 'Engineering' });
    expect([outcome(role, 'department'), outcome(role, 'title')]).toEqual(['Engineering', null]);
  });

  it('recombines the parts in part order outbound, whatever the config order', () => {
    expect(written(writePerson(name, 'hs', { firstName: 'Ada King', lastName: 'Lovelace' }))).toEqual({
      full_name: 'Ada King Lovelace',
    });
    expect(written(writePerson(firstLast, 'hs', { title: 'CTO', department: 'Engineering' }))).toEqual({
      role: 'Engineering / CTO',
    });
  });

  it('skips blank parts and writes nothing when every part is unknown', () => {
    expect(written(writePerson(name, 'hs', { firstName: null, lastName: 'Cher' }))).toEqual({
      full_name: 'Cher',
    });
    expect(written(writePerson(name, 'hs', {}))).toEqual({});
  });

  it('reads and writes whole a field of its own that another connection splits', () => {
    // One CRM keeps one name for both parts; the other a first and a last name, each with a space in it.
    const shared = [
      {
        unified: 'firstName',
        hs: 'full_name',
        sf: 'FirstName',
        transform: [{ split: { separator: ' ', take: 'allButLast' } }],
      },
      {
        unified: 'lastName',
        hs: 'full_name',
        sf: 'LastName',
        transform: [{ split: { separator: ' ', take: 'last' } }],
      },
    ];
    const read = readPerson(shared, 'sf', { FirstName: 'Mary Ann', LastName: 'van Dyke' });
    expect([outcome(read, 'firstName'), outcome(read, 'lastName')]).toEqual(['Mary Ann', 'van Dyke']);
    expect(written(writePerson(shared, 'sf', { firstName: 'Mary Ann', lastName: 'van Dyke' }))).toEqual({
      FirstName: 'Mary Ann',
      LastName: 'van Dyke',
    });
    expect(written(writePerson(shared, 'hs', { firstName: 'Mary Ann', lastName: 'Dyke' }))).toEqual({
      full_name: 'Mary Ann Dyke',
    });
  });
});
