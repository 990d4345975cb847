import { readFile } from 'node:fs/promises';
import { type Validated, validateYaml } from '../config/yaml-source.ts';
import { packageFile } from '../package-file.ts';
import { type CompiledPolicy, compilePolicy } from './compile.ts';
import { Policy } from './schema.ts';
import { checkPolicy } from './semantics.ts';

/** The policy that ships with crm-bridge, encoding the definitions agreed in DEFINITIONS.md. */
export const DEFAULT_POLICY_FILE = packageFile('config/policy.default.yaml');

/** Validates policy text (`file` is the name used in messages) and compiles it. */
export function parsePolicy(text: string, file: string): Validated<CompiledPolicy> {
  const result = validateYaml(text, file, Policy, checkPolicy);
  return result.ok ? { ok: true, value: compilePolicy(result.value) } : result;
}

/** Reads, validates and compiles a policy file. A missing file is one issue, not an exception. */
export async function loadPolicy(file: string): Promise<Validated<CompiledPolicy>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    return {
      ok: false,
      issues: [{ file, line: 0, column: 0, path: '', message: `cannot read the policy: ${reason}` }],
    };
  }
  return parsePolicy(text, file);
}
