import { describe, expect, it } from 'vitest';
import { FIELD_CATALOG, Person } from '../../src/model/index.ts';

describe('the unified model', () => {
  it('types every mappable person field from the schema', () => {
    const person = FIELD_CATALOG.person;
    expect(person.get('email')).toBe('email');
    expect(person.get('employees')).toBe('integer');
    expect(person.get('annualRevenue')).toBe('number');
    expect(person.get('address.city')).toBe('string');
    expect(person.get('lastActivityAt')).toBe('datetime');
    expect(person.get('account')).toBe('link');
    expect(person.has('sources')).toBe(false);
    expect(person.has('kind')).toBe(false);
    expect(FIELD_CATALOG.opportunity.get('closeDate')).toBe('date');
    expect(FIELD_CATALOG.opportunity.get('contacts')).toBe('linkList');
  });

  it('tells blank (null) from unknown (absent) and fills defaults', () => {
    const person = Person.parse({ kind: 'lead', email: 'ada@example.com', phone: null });
    expect(person).toEqual({
      kind: 'lead',
      email: 'ada@example.com',
      phone: null,
      sources: {},
      custom: {},
      deleted: false,
    });
  });

  it('rejects an invalid e-mail and an unknown field', () => {
    const result = Person.safeParse({ kind: 'contact', email: 'not-an-email', emial: 'x' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.') || i.code)).toEqual([
      'email',
      'unrecognized_keys',
    ]);
  });
});
