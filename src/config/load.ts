import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { CompiledPolicy } from '../policy/compile.ts';
import { loadPolicy } from '../policy/load.ts';
import { unmappedPolicyFields } from './policy-fields.ts';
import { BridgeConfig } from './schema.ts';
import { checkConfig } from './semantics.ts';
import { type ConfigIssue, type Validated, validateYaml, YamlSource } from './yaml-source.ts';

/** What a policy file's name ends with. */
const POLICY_FILE = /\.ya?ml$/i;

/** Validates config text; `file` is the name used in messages. */
export function parseConfig(text: string, file: string): Validated<BridgeConfig> {
  return validateYaml(text, file, BridgeConfig, checkConfig);
}

async function readText(file: string, what: string): Promise<{ text: string } | { issue: ConfigIssue }> {
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? `it is a folder; name the file in it, e.g. ${join(file, what === 'config' ? 'crm-bridge.yaml' : 'policy.yaml')}`
          : code === 'EACCES'
            ? 'this user may not read it'
            : String(error);
    return { issue: { file, line: 0, column: 0, path: '', message: `cannot read the ${what}: ${reason}` } };
  }
}

/** Reads and validates a config file. I/O errors (missing file) become one issue, not an exception. */
export async function loadConfig(file: string): Promise<Validated<BridgeConfig>> {
  const read = await readText(file, 'config');
  return 'issue' in read ? { ok: false, issues: [read.issue] } : parseConfig(read.text, file);
}

/** A config with the policy it names (undefined when it names none). */
export interface Project {
  /** The validated config. */
  readonly config: BridgeConfig;
  /** The compiled policy from the file the config's `policy:` names. */
  readonly policy: CompiledPolicy | undefined;
  /** That policy file, as reached from the config file (relative to the working directory when the config's is). */
  readonly policyFile: string | undefined;
}

/**
 * Reads a config and the policy file it names (relative to the config file), reporting the issues of both files
 * together. A policy file that cannot be read is reported at the config's `policy:` line.
 */
export async function loadProject(file: string): Promise<Validated<Project>> {
  const read = await readText(file, 'config');
  if ('issue' in read) return { ok: false, issues: [read.issue] };
  const config = parseConfig(read.text, file);
  const named = config.ok ? config.value.policy : policyNamedIn(read.text, file);
  const policyFile = named === undefined ? undefined : isAbsolute(named) ? named : join(dirname(file), named);
  const issues = config.ok ? [] : [...config.issues];
  let policy: CompiledPolicy | undefined;
  if (policyFile !== undefined && !POLICY_FILE.test(policyFile)) {
    // Only a YAML file is read as a policy: a config cannot make crm-bridge read (and quote) any other file.
    issues.push(
      new YamlSource(read.text, file).issueAt(
        ['policy'],
        `expected a policy file ending in .yaml or .yml; got "${named}"`,
      ),
    );
  } else if (policyFile !== undefined) {
    const loaded = await loadPolicy(policyFile);
    if (loaded.ok) {
      policy = loaded.value;
      // The policy may read only custom fields the config maps: any other is never filled.
      if (config.ok)
        issues.push(...unmappedPolicyFields(config.value, await readFile(policyFile, 'utf8'), policyFile));
    } else if (loaded.issues.length === 1 && loaded.issues[0]?.line === 0)
      issues.push(new YamlSource(read.text, file).issueAt(['policy'], loaded.issues[0].message));
    else issues.push(...loaded.issues);
  }
  if (!config.ok || issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { config: config.value, policy, policyFile } };
}

/** The `policy:` of a config that failed validation, so that its policy is still checked. */
function policyNamedIn(text: string, file: string): string | undefined {
  const data = new YamlSource(text, file).data();
  const policy =
    typeof data === 'object' && data !== null ? (data as { policy?: unknown }).policy : undefined;
  return typeof policy === 'string' && policy !== '' ? policy : undefined;
}
