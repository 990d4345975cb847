import { readFileSync } from 'node:fs';
import type { BridgeConfig } from '../src/config/schema.ts';
import { type PathSegment, YamlSource } from '../src/config/yaml-source.ts';
import { ConnectorFailure } from '../src/connector/errors.ts';
import type { Connector } from '../src/connector/types.ts';
import { applySetup, type SetupResult } from '../src/setup/apply.ts';
import { planSetup, type SetupPlan } from '../src/setup/plan.ts';
import type { Output } from './output.ts';
import { withRuntime } from './runtime.ts';

export interface SetupOptions {
  readonly config?: string;
  readonly apply?: boolean;
  readonly json?: boolean;
}

/**
 * Creates in both CRMs the custom fields the config writes and they lack: a dry run lists them (per connection, with
 * type, length and picklist values), `--apply` creates them. Exit 1 when a field cannot be made (a conflicting
 * type, a refusal, no permission), else 0.
 */
export function setupCommand(options: SetupOptions, output: Output): Promise<number> {
  return withRuntime(options.config, output, async ({ ctx }) => {
    const where = locator(ctx.configFile);
    return runSetup(ctx.config, ctx.connectors, options, output, where);
  });
}

/** Plans and, with `apply`, carries out the setup; prints as the CLI does. Also run by the demo. */
export async function runSetup(
  config: BridgeConfig,
  connectors: Readonly<Record<string, Connector>>,
  options: { readonly apply?: boolean | undefined; readonly json?: boolean | undefined },
  output: Output,
  where: (path: readonly PathSegment[]) => string = () => '',
): Promise<number> {
  let plan: SetupPlan;
  let result: SetupResult | undefined;
  try {
    plan = await planSetup(config, connectors);
    const toCreate = plan.connections.some((c) => c.create.length > 0 && c.unsupported === undefined);
    if (options.apply && toCreate) result = await applySetup(config, connectors, plan);
  } catch (error) {
    if (!(error instanceof ConnectorFailure)) throw error;
    output.err(`cannot set the CRMs up: ${error.message}`);
    return 1;
  }
  const failed =
    plan.connections.some((c) => c.problems.length > 0 || (c.unsupported && c.create.length > 0)) ||
    (result?.outcomes.some((o) => o.outcome.failures.length > 0) ?? false) ||
    (result?.unusable.length ?? 0) > 0;
  if (options.json) output.out(JSON.stringify({ applied: options.apply === true, plan, result }, null, 2));
  else printText(plan, result, options.apply === true, output, where);
  return failed ? 1 : 0;
}

function printText(
  plan: SetupPlan,
  result: SetupResult | undefined,
  applied: boolean,
  output: Output,
  where: (path: readonly PathSegment[]) => string,
): void {
  const total = plan.connections.reduce((n, c) => n + c.create.length, 0);
  for (const c of plan.connections) {
    const outcome = result?.outcomes.find((o) => o.connection === c.connection)?.outcome;
    const name = `${c.connection} (${c.system})`;
    if (outcome !== undefined) {
      output.out(
        `${name}: created ${outcome.created.length === 0 ? `no ${c.noun.many}` : count(outcome.created.length, c.noun)}`,
      );
      for (const { spec, as } of outcome.created) output.out(`  ${spec.object}.${spec.name}  ${as}`);
      for (const spec of outcome.found)
        output.out(`  ${spec.object}.${spec.name}  already there, hidden from the API user until now`);
      for (const step of outcome.steps) output.out(`  then ${step}`);
      for (const f of outcome.failures) output.err(`error: ${name}: ${f.message}; fix: ${f.fix}`);
    } else if (c.create.length > 0) {
      const verb = c.unsupported ? `missing (${c.unsupported}: create them by hand)` : 'to create';
      output.out(`${name}: ${count(c.create.length, c.noun)} ${verb}`);
      for (const { spec, as, path, similar } of c.create)
        output.out(
          `  ${spec.object}.${spec.name}  ${as}${suffix(where(path))}${similar ? `  did you mean ${similar}?` : ''}`,
        );
      for (const also of c.also) output.out(`  then ${also}`);
    } else output.out(`${name}: nothing to create, every ${c.noun.one} the config writes is there`);
    for (const p of c.problems)
      output.err(
        `error: ${at(where(p.path))}${c.connection} ${p.spec.object}.${p.spec.name} ${p.message}; fix: ${p.fix}`,
      );
  }
  for (const p of result?.unusable ?? [])
    output.err(`error: ${p.connection} ${p.object}.${p.field ?? ''} ${p.message} after setup; fix: ${p.fix}`);
  if (!applied && total > 0)
    output.out(`dry run: nothing was created; run crm-bridge setup --apply to create them`);
  else if (applied && total === 0) output.out('nothing created: both CRMs already have every field');
  else if (applied && total > 0) {
    const undone = (result?.outcomes ?? []).some((o) => o.outcome.failures.length > 0);
    if (undone || (result?.unusable.length ?? 0) > 0)
      output.out(
        'some fields were not created or cannot be written yet: see the errors, then run crm-bridge setup again',
      );
    else
      output.out(
        'both CRMs now have every field the config writes, writable by crm-bridge: run crm-bridge check',
      );
  }
}

const count = (n: number, noun: { one: string; many: string }) => `${n} ${n === 1 ? noun.one : noun.many}`;
const suffix = (location: string) => (location === '' ? '' : `  (${location})`);
const at = (location: string) => (location === '' ? '' : `${location} `);

/** `file:line:column` of a config path, when the file can be read. */
function locator(file: string | undefined): (path: readonly PathSegment[]) => string {
  if (file === undefined) return () => '';
  let source: YamlSource;
  try {
    source = new YamlSource(readFileSync(file, 'utf8'), file);
  } catch {
    return () => '';
  }
  return (path) => {
    const issue = source.issueAt(path, '');
    return `${issue.file}:${issue.line}:${issue.column}`;
  };
}
