import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `from '…'`, `import '…'` and `import('…')`: every way a module names another. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"]+)\1/g;

interface Edge {
  /** The importing file, relative to the repository root, with `/` separators. */
  readonly from: string;
  /** The imported file, relative to the repository root, with `/` separators. */
  readonly to: string;
}

const sourceFiles = (folder: string): string[] =>
  readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|js)$/.test(file))
    .map((file) => join(folder, file));

/** The repository-local imports of every file under `folder` (packages and `node:` builtins left out). */
const importsUnder = (folder: string): Edge[] =>
  sourceFiles(folder).flatMap((file) =>
    [...readFileSync(join(root, file), 'utf8').matchAll(SPECIFIER)]
      .map((match) => match[2] ?? '')
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({
        from: file.split(sep).join('/'),
        to: relative(root, resolve(root, dirname(file), specifier))
          .split(sep)
          .join('/'),
      })),
  );

const into = (edges: Edge[], ...folders: string[]): string[] =>
  edges
    .filter((edge) => folders.some((folder) => edge.to.startsWith(`${folder}/`)))
    .map((edge) => `${edge.from} imports ${edge.to}`);

describe('layout', () => {
  it('sees the imports it checks: the command imports src/, jobs/ and sandboxes/', () => {
    const targets = new Set(importsUnder('cli').map((edge) => edge.to.split('/')[0]));
    expect([...targets].sort()).toEqual(expect.arrayContaining(['connectors', 'jobs', 'sandboxes', 'src']));
  });

  it('imports the command (cli/) from nothing in src/, jobs/, connectors/ or sandboxes/', () => {
    const edges = ['src', 'jobs', 'connectors', 'sandboxes'].flatMap(importsUnder);
    expect(into(edges, 'cli')).toEqual([]);
  });

  it('keeps src/ below jobs/ and the sandboxes', () => {
    expect(into(importsUnder('src'), 'jobs', 'sandboxes')).toEqual([]);
  });

  it('lets a connector see only the contract (src/connector/) and the model (src/model/) of src/', () => {
    const edges = importsUnder('connectors').filter((edge) => edge.to.startsWith('src/'));
    expect(edges.length).toBeGreaterThan(0);
    const outside = edges.filter((edge) => !/^src\/(connector|model)\//.test(edge.to));
    expect(outside.map((edge) => `${edge.from} imports ${edge.to}`)).toEqual([]);
  });

  it('keeps the console (console/) below the command: it imports src/, jobs/ and connectors/, never cli/', () => {
    const edges = importsUnder('console');
    expect(into(edges, 'cli', 'sandboxes')).toEqual([]);
    const targets = new Set(edges.map((edge) => edge.to.split('/')[0]));
    expect([...targets].sort()).toEqual(expect.arrayContaining(['jobs', 'src']));
  });

  it('imports the console from nothing but the command', () => {
    const edges = ['src', 'jobs', 'connectors', 'sandboxes'].flatMap(importsUnder);
    expect(into(edges, 'console')).toEqual([]);
  });
});
