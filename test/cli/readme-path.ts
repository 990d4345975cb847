/**
 * Readers for what the README path test checks: the README's marked command blocks, and the service files in
 * deploy/ (a systemd unit, an environment file, a container file), each read as its own tool reads it, plainly.
 */

/** One command of a marked README block. */
export interface ReadmeCommand {
  /** The line in the README where it starts (1-based). */
  readonly at: number;
  /** As written, its comment included (bash ignores it). */
  readonly text: string;
  /** The command alone, spaces collapsed. */
  readonly line: string;
  /** The exit code it documents (`# exits 1: …`), else 0. */
  readonly exits: number;
}

/** The commands of every fenced block whose info string is `sh <tag>`, in order; `\` continues a line. */
export function commandsIn(markdown: string, tag: string): ReadmeCommand[] {
  const lines = markdown.split('\n');
  const commands: ReadmeCommand[] = [];
  let inside = false;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] ?? '';
    if (!inside) {
      inside = raw.trim() === `\`\`\`sh ${tag}`;
      continue;
    }
    if (raw.trim() === '```') {
      inside = false;
      continue;
    }
    const at = n + 1;
    let text = raw;
    while (text.endsWith('\\') && n + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++n] ?? ''}`;
    const line = text
      .replace(/\s+#.*$/, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (line === '' || line.startsWith('#')) continue;
    const exits = /#.*\bexits (\d+)/.exec(text)?.[1];
    commands.push({ at, text, line, exits: exits === undefined ? 0 : Number(exits) });
  }
  return commands;
}

/** The variables the `sh readme-env` blocks export, in order. */
export function exportedNames(markdown: string): string[] {
  return commandsIn(markdown, 'readme-env').flatMap((c) => {
    const name = /^export ([A-Z][A-Z0-9_]*)=/.exec(c.line)?.[1];
    return name === undefined ? [] : [name];
  });
}

/** A systemd unit's settings, the last of each name winning (sections are not told apart: the names differ). */
export function unitFile(text: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined) settings[match[1]] = (match[2] ?? '').trim();
  }
  return settings;
}

/** An environment file's `NAME=value` lines (no quotes, no expansion: what systemd and docker both read alike). */
export function envFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined) vars[match[1]] = match[2] ?? '';
  }
  return vars;
}

/** A container file's instructions, continuation lines joined and comments left out. */
export function containerFile(text: string): { op: string; args: string }[] {
  const out: { op: string; args: string }[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    current = current === '' ? line : `${current} ${line}`;
    if (current.endsWith('\\')) {
      current = current.slice(0, -1).trimEnd();
      continue;
    }
    const match = /^([A-Z]+)\s+(.*)$/.exec(current);
    if (match?.[1] !== undefined) out.push({ op: match[1], args: (match[2] ?? '').replace(/\s+/g, ' ') });
    current = '';
  }
  return out;
}
