import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The path of a file shipped with crm-bridge, by its place in the package (`package.json`, `config/example.yaml`),
 * whether crm-bridge runs from its sources (this module is `src/package-file.ts`) or from its build in an installed
 * package (`dist/src/package-file.js`, one folder deeper).
 */
export function packageFile(path: string): string {
  const fromSources = fileURLToPath(new URL(`../${path}`, import.meta.url));
  return existsSync(fromSources) ? fromSources : fileURLToPath(new URL(`../../${path}`, import.meta.url));
}
