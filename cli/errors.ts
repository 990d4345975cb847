import { ConnectorFailure, type ErrorKind } from '../src/connector/errors.ts';
import { RoundInterrupted } from '../src/sync/interrupted.ts';
import type { Output } from './output.ts';

/**
 * The errors that say what to fix in the setup (a config mistake, an invalid variable, a state store or Redis that
 * cannot be reached): their message is the sentence to show. Told by name, so that this module loads none of them.
 */
const SETUP_ERRORS: ReadonlySet<string> = new Set([
  'SetupError',
  'EnvError',
  'StoreUnavailable',
  'RedisUnreachable',
]);

export const setupProblem = (error: unknown): string | undefined =>
  error instanceof Error && SETUP_ERRORS.has(error.name) ? error.message : undefined;

/** How a command's failure is shown: as JSON on stdout (with `--json`), and with its stack (with `--debug`). */
export interface ErrorStyle {
  readonly json: boolean;
  readonly debug: boolean;
}

/** The exit code of a round stopped by SIGINT or SIGTERM, as shells report a process ended by SIGINT. */
export const EXIT_INTERRUPTED = 130;

/** What to do about a failure of each kind, said after what happened. */
const NEXT_STEP: Record<ErrorKind, string> = {
  auth: 'check the connection’s credentials (crm-bridge check names the connection), then run again',
  'not-found': 'check the object, record or URL the config names, then run again',
  invalid: 'the CRM refused what was sent: fix the config or the record named above, then run again',
  conflict: 'another change got there first: run again',
  'rate-limited': 'the CRM’s API limit was reached: run again once it has reset',
  unavailable: 'the CRM did not answer: run again later (nothing was lost)',
};

/** The style the command line asks for: `--json` anywhere, `--debug` anywhere or `CRM_BRIDGE_DEBUG=1`. */
export function errorStyle(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ErrorStyle {
  return {
    json: argv.includes('--json'),
    debug: argv.includes('--debug') || env.CRM_BRIDGE_DEBUG === '1',
  };
}

/**
 * The one place a command's failure becomes what the user reads and its exit code: one or two lines saying what
 * happened and what to do, never a stack trace unless asked for (`--debug`, `CRM_BRIDGE_DEBUG=1`); with `--json`,
 * one JSON object on stdout (`{"error": {"kind", "message", "hint"}}`) so a script reads failures like results.
 */
export function reportFailure(error: unknown, style: ErrorStyle, output: Output): number {
  const { kind, message, hint, code } = describe(error);
  if (style.json) output.out(JSON.stringify({ error: { kind, message, ...(hint ? { hint } : {}) } }));
  else {
    // A setup problem's message is already the sentence to show (it names the variable or the file).
    output.err(kind === 'setup' ? message : `crm-bridge: ${message}`);
    if (hint) output.err(hint);
  }
  if (style.debug && error instanceof Error && error.stack) output.err(error.stack);
  return code;
}

function describe(error: unknown): { kind: string; message: string; hint?: string; code: number } {
  if (error instanceof RoundInterrupted)
    return { kind: 'interrupted', message: error.message, hint: error.hint, code: EXIT_INTERRUPTED };
  const setup = setupProblem(error);
  if (setup !== undefined) return { kind: 'setup', message: setup, code: 1 };
  if (error instanceof ConnectorFailure)
    return {
      kind: error.kind,
      message: `${error.kind}${error.code ? ` ${error.code}` : ''}: ${error.message}`,
      hint: NEXT_STEP[error.kind],
      code: 1,
    };
  const text = error instanceof Error ? error.message : String(error);
  return {
    kind: 'internal',
    message: `unexpected error: ${firstLine(text)}`,
    hint: 'this is a fault in crm-bridge: run again with --debug (or CRM_BRIDGE_DEBUG=1) and report what it prints',
    code: 1,
  };
}

const firstLine = (text: string): string => text.split('\n', 1)[0] ?? '';
