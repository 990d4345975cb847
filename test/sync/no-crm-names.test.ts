import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESCRIPTORS } from '../../connectors/index.ts';

/** Every system name and external object name the profiles know: none may be written in the engine or the jobs. */
const NAMES = DESCRIPTORS.flatMap((d) => [d.system, ...Object.values(d.objects).flat()]);

const sources = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));

describe('the engine and the jobs know no CRM by name', () => {
  it.each([...sources('src/sync'), ...sources('jobs')])('%s names no system or object in code', (file) => {
    const code = readFileSync(file, 'utf8')
      // Comments may speak of Salesforce Leads; code may not branch on them.
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    const found = NAMES.filter((name) => new RegExp(`['"\`]${name}['"\`]`).test(code));
    expect(found).toEqual([]);
  });
});
