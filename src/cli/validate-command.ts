import { loadConfig } from '../config/load.ts';
import { formatIssue } from '../config/yaml-source.ts';
import { configPath } from './config-path.ts';
import type { Output } from './output.ts';

export async function validateCommand(
  named: string | undefined,
  json: boolean,
  output: Output,
): Promise<number> {
  const file = configPath(named);
  const result = await loadConfig(file);
  if (json) {
    output.out(
      JSON.stringify(result.ok ? { ok: true, file } : { ok: false, file, issues: result.issues }, null, 2),
    );
    return result.ok ? 0 : 1;
  }
  if (result.ok) {
    const objects = Object.keys(result.value.objects).join(', ');
    output.out(
      `${file}: valid (${Object.keys(result.value.connections).length} connections; objects: ${objects})`,
    );
    return 0;
  }
  for (const issue of result.issues) output.err(formatIssue(issue));
  output.err(`${file}: ${result.issues.length} ${result.issues.length === 1 ? 'problem' : 'problems'}`);
  return 1;
}
