import { checkAgainstCrms } from '../sync/check.ts';
import type { Output } from './output.ts';
import { withRuntime } from './runtime.ts';

export interface CheckOptions {
  readonly config?: string;
  readonly json?: boolean;
}

/** Verifies the config against both CRMs' describe data; exit 1 when anything does not match. */
export function checkCommand(options: CheckOptions, output: Output): Promise<number> {
  return withRuntime(options.config, output, async ({ ctx }) => {
    const problems = await checkAgainstCrms(ctx.config, ctx.connectors);
    if (options.json) output.out(JSON.stringify({ ok: problems.length === 0, problems }, null, 2));
    else if (problems.length === 0)
      output.out('the config matches both CRMs: every mapped field exists, every value map value is active');
    else {
      for (const p of problems)
        output.err(`${p.connection} ${p.object}${p.field ? `.${p.field}` : ''}: ${p.message}`);
      output.err(`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`);
    }
    return problems.length === 0 ? 0 : 1;
  });
}
