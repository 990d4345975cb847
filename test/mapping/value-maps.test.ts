import { describe, expect, it } from 'vitest';
import type { ValueMap } from '../../src/config/schema.ts';
import { outcome, readPerson, writePerson, written } from './one-field.ts';

const leadStatus: ValueMap = {
  new: { sf: 'Open - Not Contacted', hs: ['NEW', 'OPEN'] },
  working: { sf: 'Working - Contacted', hs: ['IN_PROGRESS', 'ATTEMPTED_TO_CONTACT'] },
  unqualified: { sf: 'Closed - Not Converted' },
  nurture: 'Nurture',
  parked: ['Parked', 'On Hold'],
};
const maps = { leadStatus };
const leadStatusField = { unified: 'leadStatus', sf: 'Status', hs: 'hs_lead_status', values: 'leadStatus' };
const field = [leadStatusField];

describe('value maps', () => {
  it.each([
    ['sf', 'Status', 'Working - Contacted', 'working'],
    ['hs', 'hs_lead_status', 'NEW', 'new'],
    ['hs', 'hs_lead_status', 'OPEN', 'new'],
    ['hs', 'hs_lead_status', 'attempted_to_contact', 'working'],
    ['sf', 'Status', 'open - not contacted', 'new'],
    ['sf', 'Status', 'Nurture', 'nurture'],
    ['hs', 'hs_lead_status', 'Nurture', 'nurture'],
    ['hs', 'hs_lead_status', 'On Hold', 'parked'],
    ['hs', 'hs_lead_status', '', null],
  ] as const)('reads %s %s "%s" as %j', (side, external, value, expected) => {
    expect(outcome(readPerson(field, side, { [external]: value }, maps), 'leadStatus')).toEqual(expected);
  });

  it('prefers an exact match over a case-insensitive one', () => {
    const cased = { size: { small: { hs: 'S' }, smallish: { hs: 's' } } };
    const size = [{ unified: 'rating', hs: 'size', values: 'size' }];
    expect(outcome(readPerson(size, 'hs', { size: 's' }, cased), 'rating')).toBe('smallish');
    expect(outcome(readPerson(size, 'hs', { size: 'S' }, cased), 'rating')).toBe('small');
  });

  it.each([
    ['sf', 'Status', 'working', 'Working - Contacted'],
    ['hs', 'hs_lead_status', 'working', 'IN_PROGRESS'],
    ['hs', 'hs_lead_status', 'new', 'NEW'],
    ['sf', 'Status', 'nurture', 'Nurture'],
    ['hs', 'hs_lead_status', 'parked', 'Parked'],
  ] as const)('writes to %s %s the first value listed for %j', (side, external, value, expected) => {
    expect(written(writePerson(field, side, { leadStatus: value }, maps))).toEqual({ [external]: expected });
  });

  it('refuses an unknown external value instead of guessing', () => {
    expect(readPerson(field, 'hs', { hs_lead_status: 'MAYBE_LATER' }, maps)).toMatchObject({
      ok: false,
      failures: [
        {
          unified: 'leadStatus',
          connection: 'hs',
          object: 'contacts',
          external: 'hs_lead_status',
          value: 'MAYBE_LATER',
          reason: 'unknown value "MAYBE_LATER" for value map leadStatus',
        },
      ],
    });
  });

  it('refuses an unknown unified value outbound', () => {
    const result = writePerson(field, 'sf', { leadStatus: 'zombie' }, maps);
    expect(result.ok === false && result.failures.map((f) => [f.external, f.value, f.reason])).toEqual([
      ['Status', 'zombie', 'unknown value "zombie" for value map leadStatus'],
    ]);
  });

  it('does not apply an entry to a connection it does not name', () => {
    expect(outcome(readPerson(field, 'sf', { Status: 'Closed - Not Converted' }, maps), 'leadStatus')).toBe(
      'unqualified',
    );
    expect(
      outcome(readPerson(field, 'hs', { hs_lead_status: 'Closed - Not Converted' }, maps), 'leadStatus'),
    ).toEqual({
      failed: ['unknown value "Closed - Not Converted" for value map leadStatus'],
    });
    expect(written(writePerson(field, 'hs', { leadStatus: 'unqualified' }, maps))).toEqual({
      failed: ['unknown value "unqualified" for value map leadStatus'],
    });
  });

  it('passes blank through in both directions', () => {
    expect(written(writePerson(field, 'hs', { leadStatus: null }, maps))).toEqual({ hs_lead_status: '' });
    expect(outcome(readPerson(field, 'sf', { Status: null }, maps), 'leadStatus')).toBeNull();
  });
});

describe('values a map does not know', () => {
  const industry: ValueMap = {
    fallback: 'other',
    technology: { sf: 'Technology', hs: 'COMPUTER_SOFTWARE' },
    other: { sf: 'Other', hs: 'OTHER' },
  };
  const industryField = [{ unified: 'industry', sf: 'Industry', hs: 'industry', values: 'industry' }];

  it('reads them as the fallback value, and writes that value back as the map spells it', () => {
    expect(outcome(readPerson(industryField, 'sf', { Industry: 'Energy' }, { industry }), 'industry')).toBe(
      'other',
    );
    expect(
      outcome(readPerson(industryField, 'hs', { industry: 'MACHINERY' }, { industry }), 'industry'),
    ).toBe('other');
    expect(written(writePerson(industryField, 'hs', { industry: 'other' }, { industry }))).toEqual({
      industry: 'OTHER',
    });
  });

  it('lets them through unchanged, both ways, when the map is passthrough', () => {
    const source = { passthrough: true, web: { sf: 'Web', hs: 'ORGANIC_SEARCH' } } satisfies ValueMap;
    const fields = [{ unified: 'leadSource', sf: 'LeadSource', hs: 'hs_analytics_source', values: 'source' }];
    expect(outcome(readPerson(fields, 'sf', { LeadSource: 'Webinar' }, { source }), 'leadSource')).toBe(
      'Webinar',
    );
    expect(written(writePerson(fields, 'sf', { leadSource: 'Trade Show' }, { source }))).toEqual({
      LeadSource: 'Trade Show',
    });
    expect(written(writePerson(fields, 'hs', { leadSource: 'web' }, { source }))).toEqual({
      hs_analytics_source: 'ORGANIC_SEARCH',
    });
  });

  it('leaves only that field out by default: the rest of the record maps', () => {
    const fields = [...field, { unified: 'title', sf: 'Title', hs: 'jobtitle' }];
    const result = readPerson(fields, 'hs', { hs_lead_status: 'MAYBE_LATER', jobtitle: 'CTO' }, maps);
    expect(result).toMatchObject({
      ok: false,
      failures: [{ unified: 'leadStatus', value: 'MAYBE_LATER', hold: false }],
      value: { title: 'CTO' },
    });
    expect(result.value).not.toHaveProperty('leadStatus');
  });

  it('holds the whole record when the field says onInvalid: hold', () => {
    const held = [{ ...leadStatusField, onInvalid: 'hold' }];
    expect(readPerson(held, 'hs', { hs_lead_status: 'MAYBE_LATER' }, maps)).toMatchObject({
      ok: false,
      failures: [{ unified: 'leadStatus', hold: true }],
    });
    expect(writePerson(held, 'sf', { leadStatus: 'someday' }, maps)).toMatchObject({
      ok: false,
      failures: [{ unified: 'leadStatus', external: 'Status', value: 'someday', hold: true }],
    });
  });

  it('uses the default of onInvalid: { default } in both directions', () => {
    const defaulted = [{ ...leadStatusField, onInvalid: { default: 'new' } }];
    expect(outcome(readPerson(defaulted, 'hs', { hs_lead_status: 'MAYBE_LATER' }, maps), 'leadStatus')).toBe(
      'new',
    );
    expect(written(writePerson(defaulted, 'sf', { leadStatus: 'someday' }, maps))).toEqual({
      Status: 'Open - Not Contacted',
    });
  });

  it('writes the other fields when one cannot be written', () => {
    const fields = [...field, { unified: 'title', sf: 'Title', hs: 'jobtitle' }];
    expect(writePerson(fields, 'hs', { leadStatus: 'someday', title: 'CTO' }, maps)).toMatchObject({
      ok: false,
      failures: [{ unified: 'leadStatus', hold: false }],
      value: { jobtitle: 'CTO' },
    });
  });
});
