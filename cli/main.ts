import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { packageFile } from '../src/package-file.ts';
import type { CheckOptions } from './check-command.ts';
import type { ConsoleOptions } from './console-command.ts';
import type { ConversionsOptions } from './conversions-command.ts';
import type { DemoOptions } from './demo-command.ts';
import { errorStyle, reportFailure } from './errors.ts';
import type { ExplainOptions } from './explain-command.ts';
import type { InitOptions } from './init-command.ts';
import { type Output, stdio } from './output.ts';
import type { QuarantineOptions } from './quarantine-command.ts';
import type { ReplayOptions } from './replay-command.ts';
import type { SetupOptions } from './setup-command.ts';
import type { StatusOptions } from './status-command.ts';
import type { SyncOptions } from './sync-command.ts';
import type { WorkerCommandOptions } from './worker-command.ts';

const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as {
  version: string;
};

const EXAMPLES = `
Examples:
  $ crm-bridge demo                             sync two built-in sandboxes with the example config
  $ crm-bridge init                             write crm-bridge.yaml and .env.example from both CRMs' metadata
  $ crm-bridge validate config/example.yaml     check a config; every mistake with file:line:column
  $ crm-bridge validate --json                  the same for $CRM_BRIDGE_CONFIG (default ./crm-bridge.yaml)
  $ crm-bridge schema > crm-bridge.schema.json  JSON Schema for editor completion of the YAML
  $ crm-bridge explain person.json              classify one record and say why (--trace: every rule)
  $ crm-bridge setup                            list the custom fields the config writes and the CRMs lack
  $ crm-bridge setup --apply                    create them (and grant them to the API user); again: creates nothing
  $ crm-bridge check                            compare the config with both CRMs' fields and picklists
  $ crm-bridge sync --once --dry-run            show what one round would create, update and convert
  $ crm-bridge sync --once                      run one round between the two CRMs
  $ crm-bridge quarantine                       list the records set aside, with field, value and reason
  $ crm-bridge conversions                      list the people proposed for conversion, waiting for a rep
  $ crm-bridge conversions accept a@x.example   accept one; the next round converts it
  $ crm-bridge worker --concurrency 2           run scheduled rounds as a service (/healthz, /metrics on 9464)
  $ crm-bridge console                          the admin console on http://127.0.0.1:9465/
  $ crm-bridge status                           queues, schedules, dead letters, last runs, quarantine size
  $ crm-bridge replay --record 12 14            sync quarantined records again once their cause is fixed
  $ crm-bridge replay --all                     also re-queue every dead-letter sync job

Environment:
  CRM_BRIDGE_CONFIG  the config file when --config is not given (default ./crm-bridge.yaml)
  DATABASE_URL       the state store: sqlite:<path> (default sqlite:./data/crm-bridge.db) or postgres://…
  REDIS_URL          the queues' Redis (default redis://127.0.0.1:6379)
  CRM_BRIDGE_QUEUE_PREFIX  the queues' key prefix, with a Redis Cluster hash tag (default {crm-bridge})
  CRM_BRIDGE_CONSOLE_TOKEN, CRM_BRIDGE_CONSOLE_READONLY_TOKEN  the console's sign-in tokens (admin, read-only)
  CRM_BRIDGE_DEBUG=1 with a failure, print its stack too (as --debug does on any command)
  Credentials are read from the variables the config names (env:NAME), never from the config itself.

Exit codes: 0 done · 1 failed, or (sync --once) records held, writes refused or an entity skipped · 2 usage ·
130 interrupted (SIGINT/SIGTERM stop a round after the writes in flight; nothing is lost).`;

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
      code = await (await import('./validate-command.ts')).validateCommand(
        file ?? options.config,
        options.json === true,
        output,
      );
    });

  program
    .command('schema')
    .description('print the JSON Schema of the config file (for editor completion and checks)')
    .action(async () => {
      code = (await import('./schema-command.ts')).schemaCommand(output);
    });

  program
    .command('explain')
    .description("classify one record with the policy and show each rule's values and verdict")
    .argument(
      '[file]',
      'a JSON record: a unified person, { person, account?, opportunities? }, or { connection, object, fields } (- or none: stdin); or a CRM record as <connection>:<object>:<id>, e.g. salesforce:Lead:00Q…',
    )
    .option('-c, --config <file>', 'the config whose policy (and mapping) is used')
    .option('-p, --policy <file>', "a policy file to use instead of the config's")
    .option('--now <datetime>', 'classify as of this ISO 8601 date-time (default: now)')
    .option('--json', 'print the classification as JSON')
    .option('--trace', 'also print every rule evaluated, with the values it saw')
    .action(async (file: string | undefined, options: Omit<ExplainOptions, 'file'>) => {
      code = await (await import('./explain-command.ts')).explainCommand({ ...options, file }, output);
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
      code = await (await import('./quarantine-command.ts')).quarantineCommand(options, output);
    });

  const conversions = program
    .command('conversions')
    .description('list the people proposed for conversion, waiting for a rep to accept (or reject) them')
    .option('-c, --config <file>', 'the config whose policy says why each is ready')
    .option('--limit <n>', 'at most this many people (default 1000)')
    .option('--json', 'print them as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ crm-bridge conversions                      who is proposed: name, e-mail, unified id, each CRM's record, why, since when
  $ crm-bridge conversions accept ada@x.example a rep accepts: the next round converts the person
  $ crm-bridge conversions accept ada@x.example b2a9…      by unified id (as listed), several at once
  $ crm-bridge conversions                      reject ada@example.com   a rep declines: no longer proposed (accepting later still converts)

With conversion.approval: rep (the default policy), a sales-ready person is proposed, marked in both CRMs, and
converted once a rep accepts: here, or in the CRM (conversion.accepted, e.g. the Lead Status set to Working).`,
    )
    .action(async (options: ConversionsOptions) => {
      code = await (await import('./conversions-command.ts')).conversionsCommand(options, output);
    });
  for (const [name, decision, what] of [
    ['accept', 'accepted', 'accept the conversion of these people; the next round converts them'],
    ['reject', 'rejected', 'decline the conversion of these people; they are no longer proposed'],
  ] as const)
    conversions
      .command(name)
      .description(what)
      .argument('<who...>', 'unified ids (as crm-bridge conversions lists them) or e-mail addresses')
      .option('--json', 'print what was recorded as JSON')
      // `--json` after the subcommand is also the parent's option: read both.
      .action(async (who: string[], _options: unknown, command: Command) => {
        const options = command.optsWithGlobals<{ json?: boolean }>();
        code = await (await import('./conversions-command.ts')).decideCommand(decision, who, options, output);
      });

  program
    .command('init')
    .description(
      "write a starting crm-bridge.yaml and .env.example from both CRMs' objects, fields and picklists",
    )
    .option(
      '-c, --config <file>',
      'the config file to write (default ./crm-bridge.yaml; .env.example beside it)',
    )
    .option('-y, --yes', 'ask nothing: the connections come from the flags and the environment')
    .option('--force', 'replace files that exist')
    .option('--salesforce-url <url>', 'the Salesforce instance URL (else SALESFORCE_INSTANCE_URL)')
    .option('--hubspot-url <url>', 'the HubSpot API base URL (else HUBSPOT_BASE_URL)')
    .addHelpText(
      'after',
      `
Credentials are read from the environment (SALESFORCE_*, HUBSPOT_*) or, on a terminal, asked for; they are used
to read the metadata and never written: the config names them as env:NAME, and .env.example lists them empty.`,
    )
    .action(async (options: InitOptions) => {
      code = await (await import('./init-command.ts')).initCommand(options, output);
    });

  program
    .command('setup')
    .description(
      'create the custom fields and properties the config writes and the CRMs lack (a dry run without --apply)',
    )
    .option('-c, --config <file>', 'the config file')
    .option('--apply', 'create them; without it, only list what would be created')
    .option('--json', 'print the plan and what was done as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ crm-bridge setup --config crm-bridge.yaml          each missing field with its type, length and picklist values
  $ crm-bridge setup --config crm-bridge.yaml --apply  create them; a second run creates nothing

Salesforce: custom fields through the Metadata API, granted (read and edit) to the API user by a permission set
crm_bridge assigned to it; the API user needs "Modify Metadata Through Metadata API Functions" or "Customize
Application". HubSpot: custom properties in a property group crm_bridge; the app needs the crm.schemas.*.write
scopes. A field that exists with another type is reported and never changed.`,
    )
    .action(async (options: SetupOptions) => {
      code = await (await import('./setup-command.ts')).setupCommand(options, output);
    });

  program
    .command('check')
    .description(
      'verify the config against both CRMs: fields exist, are writable, picklist values are active',
    )
    .option('-c, --config <file>', 'the config file')
    .option('--json', 'print the problems as JSON')
    .action(async (options: CheckOptions) => {
      code = await (await import('./check-command.ts')).checkCommand(options, output);
    });

  program
    .command('sync')
    .description('run one sync round between the pair of connections, in this process')
    .option('-c, --config <file>', 'the config file')
    .option('--once', 'run one round and exit (required; the scheduled service is crm-bridge worker)')
    .option('--dry-run', 'plan the round and print what would change, writing nothing anywhere')
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'also write the round report as a self-contained HTML page')
    .option(
      '--allow-held',
      'exit 0 even when records were held or writes refused (field issues never fail a round)',
    )
    .action(async (options: SyncOptions) => {
      code = await (await import('./sync-command.ts')).syncCommand(options, output);
    });

  program
    .command('worker')
    .description(
      'run the scheduled sync service: queued rounds, one per pair at a time, until SIGTERM or SIGINT',
    )
    .option('-c, --config <file>', 'the config file')
    .option('--concurrency <n>', 'sync rounds (steps) this process runs at once (default 1)')
    .option('--push-concurrency <n>', 'push batches this process runs at once, per queue (default 4)')
    .option('--port <n>', 'port of /healthz and /metrics (default 9464; 0: no HTTP server)')
    .option('--host <address>', 'address the HTTP server listens on (default 0.0.0.0)')
    .option('--shutdown-timeout <seconds>', 'how long a stop waits for rounds in flight (default 30)')
    .option('--log-level <level>', 'fatal, error, warn, info (default), debug or trace')
    .option(
      '--console',
      'also serve the admin console on the same port (then the host defaults to 127.0.0.1)',
    )
    .option('--hubspot-portal <id>', "the HubSpot portal's number, for the console's record links")
    .action(async (options: WorkerCommandOptions) => {
      code = await (await import('./worker-command.ts')).workerCommand(options, output);
    });

  program
    .command('console')
    .description(
      'serve the admin console: sync health, held records and replay, mappings, explain, dry-run preview',
    )
    .option('-c, --config <file>', 'the config file')
    .option('--port <n>', 'the port (default 9465)')
    .option('--host <address>', 'the address to listen on (default 127.0.0.1)')
    .option('--hubspot-portal <id>', "the HubSpot portal's number, for links to HubSpot records")
    .action(async (options: ConsoleOptions) => {
      code = await (await import('./console-command.ts')).consoleCommand(options, output);
    });

  program
    .command('status')
    .description(
      'show the queues, schedules, dead letters, last runs with their counts and errors, and the quarantine size',
    )
    .option('--runs <n>', 'how many recent runs to show (default 10)')
    .option('--run <id>', "one round's report (from the run log; needs no Redis)")
    .option('--html <file>', 'with --run: also write its report as a self-contained HTML page')
    .option('--json', 'print the status as JSON')
    .action(async (options: StatusOptions) => {
      code = await (await import('./status-command.ts')).statusCommand(options, output);
    });

  program
    .command('replay')
    .description('after fixing the cause: re-queue dead-letter sync jobs, sync quarantined records again')
    .option('-c, --config <file>', 'the config file (its pair is synced again)')
    .option('--record <ids...>', 'quarantine entries to replay (numbers from crm-bridge quarantine)')
    .option('--job <ids...>', 'dead-letter sync jobs to re-queue (ids from crm-bridge status)')
    .option('--all', 'every open quarantine entry and every dead-letter job')
    .option('--wait <seconds>', 'how long to wait for a running round of the pair (default 60)')
    .option('--json', 'print what was replayed as JSON')
    .action(async (options: ReplayOptions) => {
      code = await (await import('./replay-command.ts')).replayCommand(options, output);
    });

  program
    .command('demo')
    .description(
      'sync two built-in CRM sandboxes (Salesforce and HubSpot) with the example config, on SQLite',
    )
    .option('-c, --config <file>', 'the config file (default: the example config crm-bridge ships)')
    .option('--people <n>', 'how many people to seed across both CRMs (default 200)')
    .option('--database <file>', 'the SQLite state file, recreated (default ./data/demo.db)')
    .action(async (options: DemoOptions) => {
      code = await (await import('./demo-command.ts')).demoCommand(options, output);
    });

  // The one error boundary: whatever a command throws ends in one or two lines and an exit code (see errors.ts).
  const style = errorStyle(argv);
  try {
    await program.parseAsync(argv.filter((arg) => arg !== '--debug'));
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return reportFailure(error, style, output);
  }
  return code;
}
