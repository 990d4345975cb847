import { readFile } from 'node:fs/promises';
import { BridgeConfig } from './schema.ts';
import { checkConfig } from './semantics.ts';
import { type Validated, validateYaml } from './yaml-source.ts';

/** Validates config text; `file` is the name used in messages. */
export function parseConfig(text: string, file: string): Validated<BridgeConfig> {
  return validateYaml(text, file, BridgeConfig, checkConfig);
}

/** Reads and validates a config file. I/O errors (missing file) become one issue, not an exception. */
export async function loadConfig(file: string): Promise<Validated<BridgeConfig>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    return {
      ok: false,
      issues: [{ file, line: 0, column: 0, path: '', message: `cannot read the config: ${reason}` }],
    };
  }
  return parseConfig(text, file);
}
