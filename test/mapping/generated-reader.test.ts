import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * A mapper reads an object's fields through a generated function, or through a loop where Node refuses to
 * generate code (`--disallow-code-generation-from-strings`): the people mapped in are the same either way.
 */
const script = `
import { loadConfig } from './src/config/load.ts';
import { compileMapping } from './src/mapping/index.ts';
import { generatePeople } from './bench/generate-people.ts';
const loaded = await loadConfig('config/example.yaml');
if (!loaded.ok) throw new Error('config/example.yaml does not load');
const mapping = compileMapping(loaded.value);
const generated = (() => { try { return new Function('return 1')() === 1; } catch { return false; } })();
const people = generatePeople(300).map((p) => mapping.inbound('person', p.connection, p.object)(p.record));
console.log(JSON.stringify({ generated, people }));
`;

const run = (flags: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  ) as { generated: boolean; people: { ok: boolean }[] };

describe('the generated field reader', () => {
  it('maps people as the reading loop does where Node refuses to generate code', () => {
    const refused = run(['--disallow-code-generation-from-strings']);
    const allowed = run([]);
    expect(refused.generated).toBe(false);
    expect(allowed.generated).toBe(true);
    expect(allowed.people).toHaveLength(300);
    expect(allowed.people.filter((p) => p.ok).length).toBeGreaterThan(250);
    expect(refused.people).toEqual(allowed.people);
  });
});
