import { checkAgainstCrms } from '../sync/check.ts';
import type { Output } from './output.ts';
import { openRuntime, SetupError } from './runtime.ts';

export interface CheckOptions {
  readonly config?: string;
  readonly json?: boolean;
}

/** Verifies the config against both CRMs' describe data; exit 1 when anything does not match. */
export async function checkCommand(options: CheckOptions, output: Output): Promise<number> {
  let runtime: Awaited<ReturnType<typeof openRuntime>>;
  try {
    runtime = await openRuntime(options.config);
  } catch (error) {
    if (error instanceof SetupError) {
      output.err(error.message);
      return 1;
    }
    throw error;
  }
  try {
    const problems = await checkAgainstCrms(runtime.ctx.config, runtime.ctx.connectors);
    if (options.json) output.out(JSON.stringify({ ok: problems.length === 0, problems }, null, 2));
    else if (problems.length === 0)
      output.out('the config matches both CRMs: every mapped field exists, every value map value is active');
    else {
      for (const p of problems)
        output.err(`${p.connection} ${p.object}${p.field ? `.${p.field}` : ''}: ${p.message}`);
      output.err(`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`);
    }
    return problems.length === 0 ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
