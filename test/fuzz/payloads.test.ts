import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledMapping, compileMapping, type ExternalRecord } from '../../src/mapping/index.ts';
import type { EntityName } from '../../src/model/index.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';
import {
  hubspotCompany,
  hubspotContact,
  hubspotDeal,
  salesforceAccount,
  salesforceContact,
  salesforceLead,
  salesforceOpportunity,
} from '../fixtures/external-records.ts';

/**
 * Records as either CRM might send them when something upstream goes wrong (wrong types, huge strings, unicode,
 * nulls, fields or ids missing), through config/example.yaml's mappers both ways: every record maps or is refused
 * with a reason per field, and one bad record never stops the others.
 */
const SOURCES: readonly [EntityName, string, string, ExternalRecord, string, string][] = [
  ['person', 'sf', 'Lead', salesforceLead, 'hs', 'contacts'],
  ['person', 'sf', 'Contact', salesforceContact, 'hs', 'contacts'],
  ['person', 'hs', 'contacts', hubspotContact, 'sf', 'Lead'],
  ['account', 'sf', 'Account', salesforceAccount, 'hs', 'companies'],
  ['account', 'hs', 'companies', hubspotCompany, 'sf', 'Account'],
  ['opportunity', 'sf', 'Opportunity', salesforceOpportunity, 'hs', 'deals'],
  ['opportunity', 'hs', 'deals', hubspotDeal, 'sf', 'Opportunity'],
];

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.nat({ max: 100_000 }).map((n) => '9'.repeat(n)),
  fc.constantFrom(
    null,
    undefined,
    '',
    ' ',
    'null',
    'NaN',
    '1e400',
    '-0',
    '\u0000',
    '🧨',
    '\ud800',
    "' OR 1=1",
  ),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

/** A fixture with some fields replaced by hostile values or dropped, and maybe its id or times garbled. */
const garbled = (base: ExternalRecord) =>
  fc
    .record({
      fields: fc.dictionary(fc.constantFrom(...Object.keys(base.fields), 'Unknown__c'), hostile, {
        maxKeys: 8,
      }),
      drop: fc.subarray(Object.keys(base.fields), { maxLength: 5 }),
      id: fc.oneof(fc.constant(base.id), fc.constantFrom('', ' ', '🧨'), fc.string({ maxLength: 20 })),
      modifiedAt: fc.oneof(
        fc.constant(base.modifiedAt),
        fc.constantFrom(undefined, '', 'yesterday', '99999-99-99'),
      ),
    })
    .map(({ fields, drop, id, modifiedAt }) => {
      const out: Record<string, unknown> = { ...base.fields, ...fields };
      for (const name of drop) delete out[name];
      return { ...base, id, fields: out, modifiedAt } as ExternalRecord;
    });

let mapping: CompiledMapping;
beforeAll(async () => {
  mapping = compileMapping(await exampleConfig());
});

describe.each(SOURCES)(
  '%s records from %s %s, garbled',
  (entity, connection, object, base, other, target) => {
    it('each map or are refused field by field with a reason, and the batch goes on', () => {
      let refused = 0;
      fc.assert(
        fc.property(fc.array(garbled(base), { minLength: 1, maxLength: 20 }), (batch) => {
          const results = batch.map((record) => mapping.toUnified(entity, connection, object, record));
          expect(results).toHaveLength(batch.length);
          for (const result of results) {
            if (!result.ok) {
              refused++;
              expect(result.failures.length).toBeGreaterThan(0);
              for (const failure of result.failures) {
                expect(failure.reason.trim()).not.toBe('');
                expect(failure.external).not.toBe('');
                expect(failure.connection).toBe(connection);
              }
            }
            // What was read is written to the other side without a crash: mapped, or refused with reasons.
            const written = mapping.toExternal(entity, other, target, result.value as never);
            if (!written.ok) for (const f of written.failures) expect(f.reason.trim()).not.toBe('');
          }
        }),
        { numRuns: 150 },
      );
      expect(refused).toBeGreaterThan(0);
    }, 60_000);
  },
);
