import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { type CheckOptions, checkCommand } from './check-command.ts';
import { type DemoOptions, demoCommand } from './demo-command.ts';
import { type ExplainOptions, explainCommand } from './explain-command.ts';
import { type Output, stdio } from './output.ts';
import { type QuarantineOptions, quarantineCommand } from './quarantine-command.ts';
import { schemaCommand } from './schema-command.ts';
import { type SyncOptions, syncCommand } from './sync-command.ts';
import { validateCommand } from './validate-command.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const EXAMPLES = `
Examples:
  $ crm-bridge demo                             sync two built-in sandboxes with the example config
  $ crm-bridge validate config/example.yaml     check a config; every mistake with file:line:column
  $ crm-bridge validate --json                  the same for $CRM_BRIDGE_CONFIG (default ./crm-bridge.yaml)
  $ crm-bridge schema > crm-bridge.schema.json  JSON Schema for editor completion of the YAML
  $ crm-bridge explain person.json              classify one record and show every rule that decided
  $ crm-bridge check                            compare the config with both CRMs' fields and picklists
  $ crm-bridge sync --once --dry-run            show what one round would create, update and convert
  $ crm-bridge sync --once                      run one round between the two CRMs
  $ crm-bridge quarantine                       list the records set aside, with field, value and reason

Environment:
  CRM_BRIDGE_CONFIG  the config file when --config is not given (default ./crm-bridge.yaml)
  Credentials are read from the variables the config names (env:NAME), never from the config itself.`;

/** Runs the CLI and resolves to the exit code (0 success, 1 a problem the user must fix, 2 usage error). */
export async function main(argv: readonly string[], output: Output = stdio): Promise<number> {
  let code = 0;
  const program = new Command('crm-bridge')
    .description(
      'Sync Salesforce and HubSpot through one unified model and one agreed lead-vs-contact policy.',
    )
    .version(pkg.version, '-v, --version')
    .addHelpText('after', EXAMPLES)
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .exitOverride()
    .showHelpAfterError('(run crm-bridge --help for usage)');

  program
    .command('validate')
    .description('validate a config file and report every mistake with its position')
    .argument('[file]', 'the config file (default: --config, $CRM_BRIDGE_CONFIG or ./crm-bridge.yaml)')
    .option('-c, --config <file>', 'the config file')
    .option('--json', 'print the result as JSON')
    .action(async (file: string | undefined, options: { config?: string; json?: boolean }) => {
      code = await validateCommand(file ?? options.config, options.json === true, output);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the config file (for editor completion and checks)')
    .action(() => {
      code = schemaCommand(output);
    });

  program
    .command('explain')
    .description("classify one record with the policy and show each rule's values and verdict")
    .argument(
      '[file]',
      'a JSON record: a unified person, { person, account?, opportunities? }, or { connection, object, fields } (- or none: stdin)',
    )
    .option('-c, --config <file>', 'the config whose policy (and mapping) is used')
    .option('-p, --policy <file>', "a policy file to use instead of the config's")
    .option('--now <datetime>', 'classify as of this ISO 8601 date-time (default: now)')
    .option('--json', 'print the classification as JSON')
    .action(async (file: string | undefined, options: Omit<ExplainOptions, 'file'>) => {
      code = await explainCommand({ ...options, file }, output);
    });

  program
    .command('quarantine')
    .description('list the records set aside with their reasons, to fix at the source and replay')
    .option(
      '-c, --config <file>',
      'the config file (for symmetry with other commands; the store is DATABASE_URL)',
    )
    .option('--all', 'include entries already resolved')
    .option('--limit <n>', 'at most this many entries (default 1000)')
    .option('--json', 'print the entries as JSON')
    .action(async (options: QuarantineOptions) => {
      code = await quarantineCommand(options, output);
    });

  program
    .command('check')
    .description(
      'verify the config against both CRMs: fields exist, are writable, picklist values are active',
    )
    .option('-c, --config <file>', 'the config file')
    .option('--json', 'print the problems as JSON')
    .action(async (options: CheckOptions) => {
      code = await checkCommand(options, output);
    });

  program
    .command('sync')
    .description('run one sync round between the pair of connections, in this process')
    .option('-c, --config <file>', 'the config file')
    .option('--once', 'run one round and exit (required; the scheduled service is crm-bridge worker)')
    .option('--dry-run', 'plan the round and print what would change, writing nothing anywhere')
    .option('--json', 'print the report as JSON')
    .action(async (options: SyncOptions) => {
      code = await syncCommand(options, output);
    });

  program
    .command('demo')
    .description(
      'sync two built-in CRM sandboxes (Salesforce and HubSpot) with the example config, on SQLite',
    )
    .option('-c, --config <file>', 'the config file (default config/example.yaml)')
    .option('--people <n>', 'how many people to seed across both CRMs (default 200)')
    .option('--database <file>', 'the SQLite state file, recreated (default ./data/demo.db)')
    .action(async (options: DemoOptions) => {
      code = await demoCommand(options, output);
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return code;
}
