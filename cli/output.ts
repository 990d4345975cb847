/** Where a command writes; tests pass their own to read what a user would see. */
export interface Output {
  /** Results, for stdout. */
  out(text: string): void;
  /** Problems and progress, for stderr. */
  err(text: string): void;
  /** The terminal behind `err`, when there is one: live displays draw on it. */
  readonly errTerminal?: NodeJS.WriteStream;
}

export const stdio: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  errTerminal: process.stderr,
};

/** An Output that keeps what was written, for tests and for commands that post-process text. */
export function captureOutput(): Output & { stdout: string; stderr: string } {
  const captured = {
    stdout: '',
    stderr: '',
    out(text: string) {
      captured.stdout += text.endsWith('\n') ? text : `${text}\n`;
    },
    err(text: string) {
      captured.stderr += text.endsWith('\n') ? text : `${text}\n`;
    },
  };
  return captured;
}

/**
 * A count option (`--limit 50`): its value, `fallback` when it is not given, or undefined after saying what is wrong
 * (the command then exits 2, a usage error).
 */
export function countOption(
  name: string,
  text: string | undefined,
  fallback: number,
  output: Output,
): number | undefined {
  const value = text === undefined ? fallback : Number(text);
  if (Number.isInteger(value) && value >= 1) return value;
  output.err(`--${name} expects a positive integer; got "${text}"`);
  return undefined;
}
