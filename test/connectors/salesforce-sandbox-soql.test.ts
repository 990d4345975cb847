import { describe, expect, it } from 'vitest';
import { runQuery } from '../../sandboxes/salesforce/soql-eval.ts';
import { SoqlError } from '../../sandboxes/salesforce/soql-lexer.ts';
import { parseSoql } from '../../sandboxes/salesforce/soql-parser.ts';
import { SandboxStore } from '../../sandboxes/salesforce/store.ts';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SoqlError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('the sandbox SOQL subset', () => {
  it('parses fields, nested conditions, IN lists, literals, ordering and a limit', () => {
    const q = parseSoql(
      "select Id, Email from Lead where (Status = 'Open' or Rating in ('Hot', 'Warm')) and " +
        'IsConverted = false and SystemModstamp >= 2026-01-02T03:04:05.678+0000 and CloseDate < 2027-01-01 and ' +
        "Email != null and NOT Company = 'it\\'s' order by SystemModstamp desc nulls last, Id limit 10",
    );
    expect(q).toMatchObject({ fields: ['Id', 'Email'], object: 'Lead', limit: 10, count: false });
    expect(q.orderBy).toEqual([
      { field: 'SystemModstamp', descending: true, nullsLast: true },
      { field: 'Id', descending: false, nullsLast: false },
    ]);
    expect(JSON.stringify(q.where)).toContain('"value":"it\'s"');
    expect(JSON.stringify(q.where)).toContain(`"ms":${Date.parse('2026-01-02T03:04:05.678Z')}`);
    expect(parseSoql('SELECT COUNT() FROM Lead')).toMatchObject({ count: true, fields: [] });
  });

  it('refuses what it does not support with MALFORMED_QUERY and the position', () => {
    expect(codeOf(() => parseSoql("SELECT Id FROM Lead WHERE Name LIKE 'a%'"))).toBe(
      "MALFORMED_QUERY: expected a comparison operator (=, !=, <, >, <=, >=, IN) at position 31, found 'LIKE'",
    );
    expect(codeOf(() => parseSoql('SELECT Id FROM Lead GROUP BY Id'))).toMatch(
      /^MALFORMED_QUERY: expected the end/,
    );
    expect(codeOf(() => parseSoql('SELECT Account.Name FROM Contact'))).toMatch(/^MALFORMED_QUERY/);
    expect(codeOf(() => parseSoql("SELECT Id FROM Lead WHERE Email = 'open"))).toMatch(/unterminated string/);
    expect(codeOf(() => parseSoql('SELECT Id FROM Lead WHERE Email = :email'))).toMatch(/^MALFORMED_QUERY/);
  });

  it('checks names and literal types against the schema', () => {
    const store = new SandboxStore();
    const run = (soql: string) => runQuery(store, parseSoql(soql), false);
    expect(codeOf(() => run('SELECT Foo FROM Lead'))).toMatch(
      /^INVALID_FIELD: No such column 'Foo' on entity 'Lead'\. If you are attempting to use a custom field/,
    );
    expect(codeOf(() => run('SELECT Id FROM Lead WHERE Lead_Score__c > 50'))).toMatch(
      /^INVALID_FIELD: No such column 'Lead_Score__c' on entity 'Lead'/,
    );
    expect(codeOf(() => run('SELECT Id FROM Widget'))).toBe(
      "INVALID_TYPE: sObject type 'Widget' is not supported.",
    );
    expect(codeOf(() => run("SELECT Id FROM Lead WHERE SystemModstamp > '2026-01-01'"))).toMatch(
      /^INVALID_FIELD/,
    );
    expect(codeOf(() => run("SELECT Id FROM Lead WHERE Id > ''"))).toBe(
      'INVALID_QUERY_FILTER_OPERATOR: invalid ID field: ',
    );
    expect(codeOf(() => run("SELECT Id FROM Contact WHERE AccountId IN ('001000000000001AAA', 'x')"))).toBe(
      'INVALID_QUERY_FILTER_OPERATOR: invalid ID field: x',
    );
    expect(codeOf(() => run('SELECT Id FROM Lead WHERE Id = 42'))).toMatch(/^INVALID_FIELD/);
  });

  it('filters and orders records, with text compared case-insensitively', () => {
    const store = new SandboxStore();
    for (const [LastName, Company, Email] of [
      ['B', 'Acme', 'b@x.com'],
      ['A', 'acme', null],
      ['C', 'Other', 'c@x.com'],
    ]) {
      store.insert('Lead', { LastName, Company, Email });
    }
    const names = (soql: string) => runQuery(store, parseSoql(soql), false).records.map((r) => r.LastName);
    expect(names("SELECT Id FROM Lead WHERE Company = 'ACME' ORDER BY LastName")).toEqual(['A', 'B']);
    expect(names('SELECT Id FROM Lead WHERE Email = null')).toEqual(['A']);
    expect(names("SELECT Id FROM Lead WHERE Company NOT IN ('acme') OR LastName > 'B'")).toEqual(['C']);
    expect(names('SELECT Id FROM Lead ORDER BY Email NULLS LAST LIMIT 2')).toEqual(['B', 'C']);
  });
});
