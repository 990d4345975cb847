import { checkAgainstCrms, formatProblems } from '../src/sync/check.ts';
import type { Output } from './output.ts';
import { withRuntime } from './runtime.ts';

export interface CheckOptions {
  readonly config?: string;
  readonly json?: boolean;
}

/**
 * Verifies the config against both CRMs' describe data, every problem at once with the config's file:line:column
 * and the fix; exit 1 when a round would skip an entity (warnings alone exit 0).
 */
export function checkCommand(options: CheckOptions, output: Output): Promise<number> {
  return withRuntime(options.config, output, async ({ ctx }) => {
    const problems = await checkAgainstCrms(ctx.config, ctx.connectors);
    const errors = problems.filter((p) => p.severity === 'error');
    if (options.json) {
      const located = formatProblems(problems, ctx.configFile);
      output.out(
        JSON.stringify(
          { ok: errors.length === 0, problems: problems.map((p, i) => ({ ...p, text: located[i] })) },
          null,
          2,
        ),
      );
    } else if (problems.length === 0)
      output.out(
        'the config matches both CRMs: every mapped field exists and is writable where written, every value map value is active, every required field is filled',
      );
    else {
      const lines = formatProblems(problems, ctx.configFile);
      problems.forEach((p, i) => {
        output.err(`${p.severity === 'error' ? 'error' : 'warning'}: ${lines[i]}`);
      });
      const warnings = problems.length - errors.length;
      output.err(
        `${errors.length} ${errors.length === 1 ? 'error' : 'errors'} (a round skips the objects they belong to), ${warnings} ${warnings === 1 ? 'warning' : 'warnings'} (records that can fail one by one)`,
      );
    }
    return errors.length === 0 ? 0 : 1;
  });
}
