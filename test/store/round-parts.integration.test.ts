import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { roundKeys, storeKeeper } from '../../src/sync/round-keeper.ts';
import type { StagedRecord } from '../../src/sync/round-types.ts';
import { ENGINES } from '../support/databases.ts';
import { suiteStore } from '../support/suite-store.ts';

const staged = (id: string, fields: Record<string, unknown>): StagedRecord => ({
  connection: 'sf',
  object: 'Lead',
  external: { id, object: 'Lead', modifiedAt: '2026-11-25T12:00:00.000Z', fields },
});

describe.each(ENGINES)("a round's staged records, on %s", (_engine, create) => {
  const store = suiteStore(create);

  it('read back with their field values as they were saved', async () => {
    const runId = randomUUID();
    const keeper = storeKeeper(store());
    const records = [
      staged('00Q1', { Email: 'ada@acme.example', Budget__c: 80000, Nested: { a: [1, null] }, Blank: null }),
      staged('00Q2', {}),
    ];
    await keeper.staging.saveRecords(runId, 'person', records, 0);
    expect(await keeper.staging.records(runId, 'person', [1, 0])).toEqual([records[1], records[0]]);
    await store().dropRoundState(runId);
  });

  it.each([
    ['a list', ['Ada', 'Lovelace']],
    ['a text', 'Email=ada@acme.example'],
    ['nothing', null],
  ])('are refused, by key and with what is wrong, when the values are %s', async (_what, fields) => {
    const runId = randomUUID();
    const key = roundKeys.record('person', 0);
    await store().saveRoundState(runId, [
      { key, body: { connection: 'sf', object: 'Lead', external: { id: '00Q1', fields } } },
    ]);
    await expect(storeKeeper(store()).staging.records(runId, 'person', [0])).rejects.toThrow(
      new RegExp(
        `^round ${runId}: its saved record ${key} is not readable: .*expected an object of field values`,
        's',
      ),
    );
    await store().dropRoundState(runId);
  });
});
