import * as fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledMapping, compileMapping, type ExternalRecord } from '../../src/mapping/index.ts';
import { ENTITY_SCHEMAS, type EntityName } from '../../src/model/index.ts';
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
 * The mapper does not run the model's zod schema per record (too slow for the throughput target); it builds
 * records that are valid by construction. This holds it to that: whatever an API sends, a record the mapper
 * calls ok must pass the model's schema, unchanged.
 */
let mapping: CompiledMapping;
beforeAll(async () => {
  mapping = compileMapping(await exampleConfig());
});

const awkward = fc.constantFrom(
  '',
  '   ',
  '2024-02-29',
  '2023-02-29',
  '2024-05-01T24:00:00Z',
  '2024-05-01T12:00:00.123456+0530',
  '+275760-09-13T00:00:00.000Z',
  '1714564800000',
  '8640000000000001',
  '-62198755200001',
  '9007199254740993',
  '1e400',
  'NaN',
  '-0',
  '0x10',
  'a@b.co',
  'A@B',
  '.a@example.com',
  'yes',
  'OFF',
  '+1 (415) 555-0100',
  'https://www.example.com/x',
  ';;',
  'Technology',
  'technology',
);
const junk = fc.oneof(
  fc.string(),
  awkward,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

const cases: [string, EntityName, string, string, ExternalRecord][] = [
  ['Salesforce Lead', 'person', 'sf', 'Lead', salesforceLead],
  ['Salesforce Contact', 'person', 'sf', 'Contact', salesforceContact],
  ['HubSpot contact', 'person', 'hs', 'contacts', hubspotContact],
  ['Salesforce Account', 'account', 'sf', 'Account', salesforceAccount],
  ['HubSpot company', 'account', 'hs', 'companies', hubspotCompany],
  ['Salesforce Opportunity', 'opportunity', 'sf', 'Opportunity', salesforceOpportunity],
  ['HubSpot deal', 'opportunity', 'hs', 'deals', hubspotDeal],
];

describe('every record mapped ok passes the unified model schema', () => {
  it.each(cases)('%s, with arbitrary field values', (_, entity, connection, object, fixture) => {
    const valid: Record<string, unknown> = fixture.fields;
    const fieldArbitraries = Object.fromEntries(
      mapping
        .fieldsToRead(entity, connection, object)
        .map((name) => [
          name,
          fc.oneof({ arbitrary: fc.constant(valid[name]), weight: 12 }, { arbitrary: junk, weight: 1 }),
        ]),
    );
    const record = fc.record({
      id: fc.oneof(fc.constant('rec-1'), fc.string()),
      fields: fc.record(fieldArbitraries, { requiredKeys: [] }),
      modifiedAt: fc.oneof(
        fc.constant(undefined),
        fc.constant('2024-05-01T12:00:00.000+0000'),
        fc.string(),
        awkward,
      ),
    });
    const schema = ENTITY_SCHEMAS[entity];
    let ok = 0;
    let refused = 0;
    expect(() =>
      fc.assert(
        fc.property(record, (external) => {
          const result = mapping.toUnified(entity, connection, object, external as ExternalRecord);
          if (!result.ok) {
            refused++;
            expect(result.failures.length).toBeGreaterThan(0);
            return;
          }
          ok++;
          const parsed = schema.safeParse(result.value);
          expect(parsed.error?.issues).toBeUndefined();
          expect(parsed.data).toEqual(result.value);
        }),
        { numRuns: 400, seed: 20240501 },
      ),
    ).not.toThrow();
    // Both outcomes occur, so the property was exercised on accepted records, not only on refusals.
    expect(ok).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
