import { loadProject } from '../src/config/load.ts';
import { formatIssue } from '../src/config/yaml-source.ts';
import { configPath } from './config-path.ts';
import type { Output } from './output.ts';

export async function validateCommand(
  named: string | undefined,
  json: boolean,
  output: Output,
): Promise<number> {
  const file = configPath(named);
  const result = await loadProject(file);
  if (json) {
    const policy =
      result.ok && result.value.policy
        ? { file: result.value.policyFile, version: result.value.policy.version }
        : undefined;
    output.out(
      JSON.stringify(
        result.ok
          ? { ok: true, file, ...(policy && { policy }) }
          : { ok: false, file, issues: result.issues },
        null,
        2,
      ),
    );
    return result.ok ? 0 : 1;
  }
  if (result.ok) {
    const { config, policy, policyFile } = result.value;
    const objects = Object.keys(config.objects).join(', ');
    const policyText = policy === undefined ? '' : `; policy ${policyFile} version ${policy.version}`;
    output.out(
      `${file}: valid (${Object.keys(config.connections).length} connections; objects: ${objects}${policyText})`,
    );
    return 0;
  }
  for (const issue of result.issues) output.err(formatIssue(issue));
  output.err(`${file}: ${result.issues.length} ${result.issues.length === 1 ? 'problem' : 'problems'}`);
  return 1;
}
