import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../src/mapping/index.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';

describe('a per-connection default ({ default: { sf: x } })', () => {
  it('fills a blank only when writing to that connection, and never on reading', async () => {
    const mapping = compileMapping(await exampleConfig());
    const person = { kind: 'lead' as const, email: 'ada@x.example', lastName: null, company: null };

    const toSalesforce = mapping.toExternal('person', 'sf', 'Lead', person);
    expect(toSalesforce.ok && [toSalesforce.value.LastName, toSalesforce.value.Company]).toEqual([
      '[not provided]',
      '[not provided]',
    ]);
    const toHubSpot = mapping.toExternal('person', 'hs', 'contacts', person);
    expect(toHubSpot.ok && [toHubSpot.value.lastname, toHubSpot.value.company]).toEqual(['', '']);

    const fromHubSpot = mapping.toUnified('person', 'hs', 'contacts', {
      id: '1',
      fields: { email: 'ada@x.example' },
    });
    expect(fromHubSpot.ok && [fromHubSpot.value.lastName, fromHubSpot.value.company]).toEqual([
      undefined,
      undefined,
    ]);
  });
});
