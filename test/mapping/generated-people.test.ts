import { describe, expect, it } from 'vitest';
import { generatePeople } from '../../bench/generate-people.ts';
import { compileMapping } from '../../src/mapping/index.ts';
import { exampleConfig } from '../fixtures/example-mapping.ts';

describe('the generated people the benchmarks use', () => {
  it('are the same for the same seed and differ for another', () => {
    expect(generatePeople(50)).toEqual(generatePeople(50));
    expect(generatePeople(50, 7)).not.toEqual(generatePeople(50));
  });

  it('all map through config/example.yaml, in and back out', async () => {
    const mapping = compileMapping(await exampleConfig());
    const people = generatePeople(3000);
    const objects = new Set<string>();
    for (const { connection, object, record } of people) {
      objects.add(object);
      const unified = mapping.toUnified('person', connection, object, record);
      if (!unified.ok) throw new Error(`${object} ${record.id}: ${JSON.stringify(unified.failures)}`);
      const back = mapping.toExternal('person', connection, object, unified.value);
      if (!back.ok) throw new Error(`${object} ${record.id}: ${JSON.stringify(back.failures)}`);
    }
    expect([...objects].sort()).toEqual(['Contact', 'Lead', 'contacts']);
  });
});
