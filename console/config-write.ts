import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { ConsoleDeps } from './deps.ts';
import { type Html, html } from './html.ts';
import { lineDiff } from './text-diff.ts';

/** The fingerprint of the config text a form was made from: a save is refused once the file changed since. */
export const digest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A change to the config file as its lines, with some context. */
export function configDiff(before: string, after: string): Html {
  return html`<pre class="diff" aria-label="Changes to the config file">${lineDiff(before, after).map((d) =>
    d === 'gap'
      ? html`<span class="ctx">…</span>`
      : html`<span class="${d.kind === 'same' ? 'ctx' : d.kind}">${d.kind === 'add' ? '+' : d.kind === 'del' ? '-' : ' '} ${String(d.line).padStart(4)} ${d.text}</span>`,
  )}</pre>`;
}

/**
 * Writes an edited config file and reloads it, so that the next round (and every page) uses it. Answers `saved`
 * when the config loads, else what keeps it from loading.
 */
export async function writeConfig(
  deps: ConsoleDeps,
  text: string,
  saved: string,
): Promise<{ ok: boolean; message: string }> {
  await writeFile(deps.project.file, text);
  const issues = await deps.project.reload();
  if (issues.length > 0)
    return {
      ok: false,
      message: `Saved, but the config does not load: ${issues.map((i) => i.message).join('; ')}`,
    };
  return { ok: true, message: saved };
}
