import { describe, expect, it } from 'vitest';
import {
  afterCursor,
  buildSelect,
  inList,
  soqlString,
} from '../../connectors/salesforce/salesforce-query.ts';
import { parseSoql } from '../../sandboxes/salesforce/soql-parser.ts';

const INJECTION = "' OR Id != '";

describe('SOQL building', () => {
  it('escapes backslashes, quotes and control characters in values', () => {
    expect(soqlString(INJECTION)).toBe("'\\' OR Id != \\''");
    expect(soqlString('a\\b')).toBe("'a\\\\b'");
    expect(soqlString('line\nbreak\t"q"')).toBe('\'line\\nbreak\\t\\"q\\"\'');
  });

  it('keeps a value containing a quote-breaking payload inside one literal', () => {
    for (const value of [INJECTION, "\\' OR Id != '", "x\\\\' OR Name != '", "'; DELETE"]) {
      const soql = buildSelect({ object: 'Lead', fields: ['Id'], where: [inList('Email', [value])] });
      expect(parseSoql(soql).where).toEqual({
        kind: 'in',
        field: 'Email',
        negated: false,
        values: [{ kind: 'string', value }],
      });
    }
  });

  it('reads strictly after a cursor, breaking timestamp ties by Id', () => {
    const where = afterCursor({ modifiedAt: '2026-03-01T10:00:00.250Z', id: '00Q000000000042AAA' });
    expect(where).toBe(
      "(SystemModstamp > 2026-03-01T10:00:00.250Z OR (SystemModstamp = 2026-03-01T10:00:00.250Z AND Id > '00Q000000000042AAA'))",
    );
    expect(parseSoql(`SELECT Id FROM Lead WHERE ${where}`).where).toMatchObject({
      kind: 'or',
      right: {
        kind: 'and',
        right: { kind: 'compare', field: 'Id', op: '>', value: { value: '00Q000000000042AAA' } },
      },
    });
    expect(() => afterCursor({ modifiedAt: "2026' OR Id != '", id: 'x' })).toThrow(/not a timestamp/);
  });

  it('leaves the Id term out of a cursor without a valid id, reading its timestamp inclusively', () => {
    // Salesforce refuses `Id > ''` (INVALID_QUERY_FILTER_OPERATOR); the sync engine's overlap clears the id.
    for (const id of ['', 'null', "00Q' OR Id != '", '00Q00000000004']) {
      expect(afterCursor({ modifiedAt: '2026-03-01T10:00:00.250Z', id })).toBe(
        'SystemModstamp >= 2026-03-01T10:00:00.250Z',
      );
    }
  });
});
