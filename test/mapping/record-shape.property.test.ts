import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordShape } from '../../src/mapping/record-shape.ts';

/**
 * The inbound mapper builds each record's top level through RecordShape (a template per sequence of keys) instead
 * of assigning each key to the record as it is mapped. Both must give the same record: the same keys, in the same
 * order (records are stored and compared as JSON), with the same values.
 */
const KEYS = ['sources', 'custom', 'deleted', 'email', 'firstName', 'address', 'score', 'createdAt', 'kind'];
const value = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.object({ maxDepth: 1 }),
);
/** One record: keys set in order, some of them more than once. */
const assignments = fc.array(fc.tuple(fc.nat(KEYS.length - 1), value), { maxLength: 14 });

/** The reference: each key assigned to a plain object as it comes. */
function assigned(record: readonly (readonly [number, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [slot, v] of record) out[KEYS[slot] as string] = v;
  return out;
}

function built(
  shape: RecordShape,
  slots: readonly number[],
  record: readonly (readonly [number, unknown])[],
) {
  shape.begin();
  for (const [slot, v] of record) shape.set(slots[slot] as number, v);
  return shape.build();
}

describe('a record built by RecordShape', () => {
  it('has the keys, the order and the values of assigning them one by one, record after record', () => {
    const shape = new RecordShape();
    const slots = KEYS.map((key) => shape.slot(key));
    fc.assert(
      fc.property(fc.array(assignments, { minLength: 1, maxLength: 30 }), (records) => {
        for (const record of records) {
          const out = built(shape, slots, record);
          const expected = assigned(record);
          expect(Object.keys(out)).toEqual(Object.keys(expected));
          expect(out).toStrictEqual(expected);
        }
      }),
      { numRuns: 300, seed: 20260601 },
    );
  });

  it('stays the same past the number of key sequences it keeps a template for', () => {
    const shape = new RecordShape();
    const slots = KEYS.map((key) => shape.slot(key));
    // Far more distinct sequences than the templates it keeps, each built several times.
    const records = fc.sample(fc.shuffledSubarray(KEYS.map((_, slot) => slot)), { numRuns: 3_000, seed: 7 });
    for (const order of [...records, ...records]) {
      const record = order.map((slot) => [slot, `${KEYS[slot]}-${order.length}`] as const);
      expect(Object.entries(built(shape, slots, record))).toEqual(Object.entries(assigned(record)));
    }
  });

  it('gives each record an object of its own, and starts clean after a record left unfinished', () => {
    const shape = new RecordShape();
    const [email, score] = [shape.slot('email'), shape.slot('score')];
    shape.begin();
    shape.set(email, 'ada@example.com');
    const first = shape.build();
    first.email = 'changed';
    shape.begin();
    shape.set(score, 1);
    // A record interrupted here (a step threw) leaves nothing behind for the next one.
    shape.begin();
    shape.set(email, 'grace@example.com');
    expect(shape.build()).toStrictEqual({ email: 'grace@example.com' });
    expect(first).toStrictEqual({ email: 'changed' });
  });

  it('reads back a value set in the record being built, and undefined for one not set', () => {
    const shape = new RecordShape();
    const [address, kind] = [shape.slot('address'), shape.slot('kind')];
    shape.begin();
    shape.set(address, { city: 'London' });
    expect(shape.get(address)).toEqual({ city: 'London' });
    expect(shape.get(kind)).toBeUndefined();
  });
});

/**
 * Why RecordShape exists: V8 turns an object that gets more than about 16 keys by computed-key assignment into a
 * hash table, slower to build and to read. A person mapped in through config/example.yaml has up to 35 keys; this
 * checks, with V8's own test hook, that it keeps the fixed layout.
 */
describe('a person mapped in', () => {
  it('is kept by V8 in a fixed layout, not as a hash table', () => {
    const script = `
      import { loadConfig } from './src/config/load.ts';
      import { compileMapping } from './src/mapping/index.ts';
      import { hubspotContact, salesforceLead } from './test/fixtures/external-records.ts';
      const loaded = await loadConfig('config/example.yaml');
      const mapping = compileMapping(loaded.value);
      const layouts = [];
      for (let i = 0; i < 100; i++)
        for (const [connection, object, record] of [['sf', 'Lead', salesforceLead], ['hs', 'contacts', hubspotContact]]) {
          const person = mapping.toUnified('person', connection, object, record).value;
          layouts.push([Object.keys(person).length, %HasFastProperties(person)]);
        }
      console.log(JSON.stringify(layouts.slice(-2)));
    `;
    const ran = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--input-type=module', '--eval', script],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(ran.stderr).toBe('');
    const [lead, contact] = JSON.parse(ran.stdout) as [number, boolean][];
    // Enough keys that assigning them one by one would have made a hash table.
    expect(lead?.[0]).toBeGreaterThan(20);
    expect(contact?.[0]).toBeGreaterThan(20);
    expect([lead?.[1], contact?.[1]]).toEqual([true, true]);
  });
});
