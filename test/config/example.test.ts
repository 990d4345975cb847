import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';

describe('config/example.yaml', () => {
  it('is valid and maps the four standard objects', async () => {
    const result = await loadConfig('config/example.yaml');
    if (!result.ok)
      throw new Error(result.issues.map((i) => `${i.line}:${i.column} ${i.path} ${i.message}`).join('\n'));
    const { objects, connections, sync } = result.value;
    expect(Object.keys(connections)).toEqual(['sf', 'hs']);
    expect(sync.pair).toEqual(['sf', 'hs']);
    expect(objects.person?.sf).toEqual(['Lead', 'Contact']);
    expect(objects.account?.hs).toBe('companies');
    expect(objects.opportunity?.hs).toBe('deals');
  });
});
