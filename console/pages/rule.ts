import { readFile } from 'node:fs/promises';
import { parseConfig } from '../../src/config/load.ts';
import { formatIssue } from '../../src/config/yaml-source.ts';
import { ENTITIES, type EntityName } from '../../src/model/index.ts';
import type { Session } from '../auth.ts';
import { configDiff, digest, writeConfig } from '../config-write.ts';
import type { ConsoleDeps } from '../deps.ts';
import { type Html, html } from '../html.ts';
import { adminButton, csrfField } from '../layout.ts';
import { editRule, ruleChoices, ruleOf } from '../rule-edit.ts';

export const isEntity = (name: string): name is EntityName => (ENTITIES as readonly string[]).includes(name);

const path = (entity: string, field: string) =>
  `/mapping/rule/${encodeURIComponent(entity)}/${encodeURIComponent(field)}`;

/** The form that sets one field's rule: every rule of the pair, with what it means, the current one chosen. */
export async function ruleForm(
  deps: ConsoleDeps,
  session: Session,
  entity: EntityName,
  field: string,
  problems: readonly string[] = [],
): Promise<Html | undefined> {
  const text = await readFile(deps.project.file, 'utf8');
  const inFile = parseConfig(text, deps.project.file);
  if (!inFile.ok)
    return html`<div class="error" role="alert"><p>${deps.project.file} does not validate; fix it by hand first:</p><ul>${inFile.issues.map((i) => html`<li>${formatIssue(i)}</li>`)}</ul></div>`;
  const current = ruleOf(inFile.value, entity, field);
  if (current === undefined) return undefined;
  const pair = inFile.value.sync.pair;
  return html`<p>Which side's value wins for <code>${entity}.${field}</code>, and where it is written. Now: <code>${current}</code>.</p>
${problems.length > 0 ? html`<div class="error" role="alert"><p>Not saved:</p><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
<form method="post" action="${path(entity, field)}/preview">
${csrfField(session)}<input type="hidden" name="base" value="${digest(text)}">
<fieldset class="choices"><legend>Rule</legend>
${ruleChoices(pair).map(
  (c, i) =>
    html`<p><input type="radio" id="rule-${i}" name="rule" value="${c.rule}"${c.rule === current ? ' checked' : ''}> <label for="rule-${i}"><code>${c.rule}</code>: ${c.means}</label></p>`,
)}
</fieldset>
${adminButton(session, 'Preview the change')} <a href="/mapping">Back to the mapping</a>
</form>`;
}

/** The change as a diff of the config file and a form to save exactly that. */
export async function rulePreview(
  deps: ConsoleDeps,
  session: Session,
  entity: EntityName,
  field: string,
  form: URLSearchParams,
): Promise<Html | undefined> {
  const text = await readFile(deps.project.file, 'utf8');
  const rule = form.get('rule') ?? '';
  if (form.get('base') !== digest(text))
    return ruleForm(deps, session, entity, field, [
      `${deps.project.file} changed since this page was opened: reload it and make the change again`,
    ]);
  const edit = editRule(text, deps.project.file, entity, field, rule, deps.project.ctx.config.sync.pair);
  if (!edit.ok) return ruleForm(deps, session, entity, field, edit.problems);
  if (!edit.changed)
    return html`<p class="hint" role="status">Nothing changed.</p><p><a href="${path(entity, field)}">Back to the rule</a></p>`;
  return html`<p>The change to <code>${deps.project.file}</code>, checked as a whole config: nothing else in the file moves.</p>
${configDiff(text, edit.text)}
<form method="post" action="${path(entity, field)}">
${csrfField(session)}<input type="hidden" name="base" value="${digest(text)}"><input type="hidden" name="rule" value="${rule}">
${adminButton(session, 'Save to the config file')} <a href="${path(entity, field)}">Cancel</a>
</form>`;
}

/** Saves the previewed rule when the file is still the one previewed, then reloads the config. */
export async function saveRule(
  deps: ConsoleDeps,
  entity: EntityName,
  field: string,
  form: URLSearchParams,
): Promise<{ ok: boolean; message: string }> {
  const text = await readFile(deps.project.file, 'utf8');
  if (form.get('base') !== digest(text))
    return {
      ok: false,
      message: `Not saved: ${deps.project.file} changed since the preview; make the change again.`,
    };
  const rule = form.get('rule') ?? '';
  const edit = editRule(text, deps.project.file, entity, field, rule, deps.project.ctx.config.sync.pair);
  if (!edit.ok) return { ok: false, message: `Not saved: ${edit.problems.join('; ')}` };
  if (!edit.changed) return { ok: true, message: 'Nothing changed.' };
  return writeConfig(
    deps,
    edit.text,
    `Saved the rule of ${entity}.${field} (${rule}) to ${deps.project.file}; the next round uses it.`,
  );
}
