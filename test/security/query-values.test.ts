import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSelect, inList, soqlString } from '../../connectors/salesforce/salesforce-query.ts';
import { runQuery } from '../../sandboxes/salesforce/soql-eval.ts';
import { parseSoql } from '../../sandboxes/salesforce/soql-parser.ts';
import { SandboxStore } from '../../sandboxes/salesforce/store.ts';

/** Values a record may hold that try to end the literal they are written in. */
const HOSTILE = [
  "' OR Id != null",
  "o'hara@example.com",
  "\\' OR Id != null OR Email = '",
  'back\\slash',
  'trailing\\',
  '"double" quotes',
  "') OR (Email != null",
  'line\nbreak\ttab\rreturn',
  'Zoë Ünïcödé 🧨 \u202e',
  "%' LIMIT 1 --",
];

describe('record values in SOQL', () => {
  const store = new SandboxStore();
  const [target] = [store.insert('Lead', { LastName: 'Target', Company: 'C', Email: 'target@example.com' })];
  for (const [i, email] of HOSTILE.entries())
    store.insert('Lead', { LastName: `L${i}`, Company: 'C', Email: email });

  it('reach the query as one literal each: the parser sees the value, unchanged', () => {
    for (const value of HOSTILE) {
      const query = parseSoql(`SELECT Id FROM Lead WHERE Email = ${soqlString(value)}`);
      expect(query.where).toMatchObject({ value: { kind: 'string', value } });
    }
  });

  it('match only the records holding exactly that value, never every record', () => {
    for (const value of HOSTILE) {
      const soql = buildSelect({
        object: 'Lead',
        fields: ['Id', 'Email'],
        where: [inList('Email', [value])],
      });
      const found = runQuery(store, parseSoql(soql), false).records.map((r) => r.Email);
      expect(found).toEqual([value]);
    }
    const all = buildSelect({ object: 'Lead', fields: ['Id'], where: [inList('Email', HOSTILE)] });
    expect(runQuery(store, parseSoql(all), false).records.map((r) => r.Id)).not.toContain(target?.Id);
  });

  it('stay values for any generated text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (value) => {
        const query = parseSoql(`SELECT Id FROM Lead WHERE ${inList('Email', [value])}`);
        expect(query.where).toMatchObject({ values: [{ value }] });
      }),
      { numRuns: 1000 },
    );
  });
});
