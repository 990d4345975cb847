import { readFile } from 'node:fs/promises';
import { parseConfig } from '../../src/config/load.ts';
import type { BridgeConfig } from '../../src/config/schema.ts';
import { formatIssue } from '../../src/config/yaml-source.ts';
import { objectsOf } from '../../src/sync/field-table.ts';
import type { Session } from '../auth.ts';
import { configDiff, digest, writeConfig } from '../config-write.ts';
import type { ConsoleDeps } from '../deps.ts';
import { type Html, html, plural } from '../html.ts';
import { adminButton, csrfField } from '../layout.ts';
import { describeObjects } from '../schema-labels.ts';
import { editValueMap, rowsFromForm, rowsOf, type ValueMapRow } from '../value-map-edit.ts';
import { fieldsUsing } from './mapping.ts';

/** `Oil & Energy` → `oilEnergy`: a unified value in the style of the example's maps. */
const unifiedName = (value: string) =>
  value
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
    .map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1)))
    .join('');

/** Values the data holds that the map cannot translate, per connection, with how many records carry each. */
async function unknownFor(deps: ConsoleDeps, config: BridgeConfig, name: string) {
  const fields = fieldsUsing(config, name);
  const known = new Set(Object.keys(config.valueMaps[name] ?? {}));
  const inbound = new Map<string, { connection: string; value: string; count: number }>();
  const outbound = new Map<string, Map<string, number>>();
  for (const e of await deps.project.ctx.store.listQuarantine({ limit: 100_000 })) {
    if (e.kind !== 'field' || typeof e.value !== 'string') continue;
    if (!fields.some((f) => f.entity === e.entity && f.field.unified === e.field)) continue;
    if (known.has(e.value)) {
      // A unified value with no counterpart where it is written: its row lacks that connection's value.
      const per = outbound.get(e.value) ?? new Map<string, number>();
      per.set(e.connection, (per.get(e.connection) ?? 0) + 1);
      outbound.set(e.value, per);
      continue;
    }
    const key = `${e.connection}\u0000${e.value}`;
    const seen = inbound.get(key);
    inbound.set(key, { connection: e.connection, value: e.value, count: (seen?.count ?? 0) + 1 });
  }
  return { inbound: [...inbound.values()].sort((a, b) => b.count - a.count), outbound };
}

/** Where each connection writes the map's values, for checking them against the CRMs' picklists. */
async function picklistWarnings(
  deps: ConsoleDeps,
  name: string,
  rows: readonly ValueMapRow[],
): Promise<string[]> {
  const { ctx } = deps.project;
  const config = ctx.config;
  const targets: { connection: string; object: string; field: string; label: string }[] = [];
  for (const { entity, field } of fieldsUsing(config, name))
    for (const connection of config.sync.pair) {
      const spec = field[connection];
      for (const object of objectsOf(config, entity, connection)) {
        const external =
          typeof spec === 'string'
            ? spec
            : spec !== undefined && typeof spec === 'object' && !Array.isArray(spec)
              ? (spec as Record<string, unknown>)[object]
              : undefined;
        if (typeof external === 'string')
          targets.push({ connection, object, field: external, label: `${connection} ${object} ${external}` });
      }
    }
  const labels = await describeObjects(ctx, targets, deps.scrub);
  const warnings = labels.problems.map((p) => `could not check the picklist values: ${p}`);
  for (const t of targets) {
    const picklist = labels.field(t.connection, t.object, t.field)?.picklist;
    if (picklist === undefined) continue;
    for (const row of rows) {
      const written = row.values[t.connection]?.[0];
      if (written === undefined) continue;
      if (!picklist.some((p) => p.value === written && p.active))
        warnings.push(
          `${JSON.stringify(written)} (for ${row.unified}) is not an active value of ${t.label}: the CRM would refuse it; add it there first`,
        );
    }
  }
  return warnings;
}

/** The edit form of one value map: its rows, rows for the unknown values seen, and blank rows for new entries. */
export async function valueMapForm(
  deps: ConsoleDeps,
  session: Session,
  name: string,
  submitted?: { rows: readonly ValueMapRow[]; problems: readonly string[] },
): Promise<Html | undefined> {
  const text = await readFile(deps.project.file, 'utf8');
  // The rows as the file holds them now (someone may have edited it by hand since the console loaded it), so that
  // saving never puts back what the file no longer says.
  const inFile = parseConfig(text, deps.project.file);
  if (!inFile.ok)
    return html`<div class="error" role="alert"><p>${deps.project.file} does not validate; fix it by hand first:</p><ul>${inFile.issues.map((i) => html`<li>${formatIssue(i)}</li>`)}</ul></div>`;
  const config = inFile.value;
  const current = rowsOf(config, name);
  if (current === undefined) return undefined;
  const pair = config.sync.pair;
  const unknown = await unknownFor(deps, config, name);
  const rows: ValueMapRow[] = [...(submitted?.rows ?? current)];
  const suggested = new Set<number>();
  if (submitted === undefined)
    for (const u of unknown.inbound) {
      suggested.add(rows.length);
      rows.push({ unified: unifiedName(u.value), values: { [u.connection]: [u.value] } });
    }
  const counts = new Map(unknown.inbound.map((u) => [`${u.connection}\u0000${u.value}`, u.count]));
  const settings = Object.entries(config.valueMaps[name] ?? {}).filter(
    ([k]) => k === 'fallback' || k === 'passthrough',
  );
  const users = fieldsUsing(config, name).map((f) => `${f.entity}.${f.field.unified}`);
  const blank: ValueMapRow = { unified: '', values: {} };
  const all = [...rows, blank, blank];
  return html`<p>Used by ${users.join(', ') || 'no field'}. Each row is a unified value and the value(s) each CRM holds for it; the first value is the one written, the others are read as the same (comma-separated).${settings.length > 0 ? html` Settings kept as they are: ${settings.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}.` : ''}</p>
${submitted && submitted.problems.length > 0 ? html`<div class="error" role="alert"><p>Not saved:</p><ul>${submitted.problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
${
  unknown.inbound.length > 0
    ? html`<p class="hint">Unknown values seen in the data: ${unknown.inbound.map((u) => html`<mark class="unknown">${u.value}</mark> from ${u.connection} (${plural(u.count, 'record')}) `)}— each has a row below, marked; give it its unified value and its counterpart, or add it to an existing row.</p>`
    : ''
}
<form method="post" action="/mapping/values/${encodeURIComponent(name)}/preview" class="value-map">
${csrfField(session)}<input type="hidden" name="base" value="${digest(text)}">
<div class="scroll"><table>
<thead><tr><th scope="col">Unified value</th>${pair.map((c) => html`<th scope="col">${config.connections[c]?.system ?? c} (${c})</th>`)}<th scope="col">Remove</th></tr></thead>
<tbody>${all.map((row, i) => {
    const missing = unknown.outbound.get(row.unified);
    const isNew = suggested.has(i);
    const mark = pair
      .map((c) => counts.get(`${c}\u0000${row.values[c]?.[0] ?? ''}`))
      .find((n) => n !== undefined);
    return html`<tr${isNew ? html` class="suggested"` : ''}>
<td><label class="visually-hidden" for="row-${i}-unified">Unified value, row ${i + 1}</label><input type="text" id="row-${i}-unified" name="row.${i}.unified" value="${row.unified}">${isNew && mark !== undefined ? html`<br><mark class="unknown">new: ${plural(mark, 'record')}</mark>` : ''}</td>
${pair.map(
  (c) =>
    html`<td><label class="visually-hidden" for="row-${i}-${c}">${c} values for ${row.unified || `row ${i + 1}`}</label><input type="text" id="row-${i}-${c}" name="row.${i}.${c}" value="${(row.values[c] ?? []).join(', ')}">${missing?.get(c) ? html`<br><mark class="unknown">no ${c} value: ${plural(missing.get(c) ?? 0, 'record')}</mark>` : ''}</td>`,
)}
<td>${i < rows.length ? html`<label><input type="checkbox" name="row.${i}.remove"> <span class="visually-hidden">Remove ${row.unified}</span></label>` : ''}</td></tr>`;
  })}</tbody></table></div>
${adminButton(session, 'Preview the change')}
</form>`;
}

/** The change as a diff of the config file, the CRMs' picklist warnings, and a form to save exactly that. */
export async function valueMapPreview(
  deps: ConsoleDeps,
  session: Session,
  name: string,
  form: URLSearchParams,
): Promise<Html | undefined> {
  const config = deps.project.ctx.config;
  if (config.valueMaps[name] === undefined) return undefined;
  const rows = rowsFromForm(form, config.sync.pair);
  const text = await readFile(deps.project.file, 'utf8');
  const stale = form.get('base') !== digest(text);
  const edit = editValueMap(text, deps.project.file, name, rows, config.sync.pair);
  if (!edit.ok || stale)
    return valueMapForm(deps, session, name, {
      rows,
      problems: stale
        ? [`${deps.project.file} changed since this page was opened: reload it and make the change again`]
        : edit.ok
          ? []
          : edit.problems,
    });
  if (!edit.changed)
    return html`<p class="hint" role="status">Nothing changed.</p><p><a href="/mapping/values/${encodeURIComponent(name)}">Back to the value map</a></p>`;
  const warnings = await picklistWarnings(deps, name, rows);
  return html`<p>The change to <code>${deps.project.file}</code>, checked as a whole config: nothing else in the file moves.</p>
${configDiff(text, edit.text)}
${warnings.length > 0 ? html`<div class="error" role="alert"><p>The CRMs disagree:</p><ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul></div>` : ''}
<form method="post" action="/mapping/values/${encodeURIComponent(name)}">
${csrfField(session)}<input type="hidden" name="base" value="${digest(text)}">
${rows.map(
  (row, i) =>
    html`<input type="hidden" name="row.${i}.unified" value="${row.unified}">${config.sync.pair.map((c) => html`<input type="hidden" name="row.${i}.${c}" value="${(row.values[c] ?? []).join(', ')}">`)}`,
)}
${adminButton(session, 'Save to the config file')} <a href="/mapping/values/${encodeURIComponent(name)}">Cancel</a>
</form>`;
}

/**
 * Saves the previewed change when the file is still the one previewed and the result validates, then reloads the
 * config so that the next round (and every page) uses it. Answers the message for the admin.
 */
export async function saveValueMap(
  deps: ConsoleDeps,
  name: string,
  form: URLSearchParams,
): Promise<{ ok: boolean; message: string }> {
  const config = deps.project.ctx.config;
  if (config.valueMaps[name] === undefined) return { ok: false, message: `There is no value map ${name}.` };
  const text = await readFile(deps.project.file, 'utf8');
  if (form.get('base') !== digest(text))
    return {
      ok: false,
      message: `Not saved: ${deps.project.file} changed since the preview; make the change again.`,
    };
  const edit = editValueMap(
    text,
    deps.project.file,
    name,
    rowsFromForm(form, config.sync.pair),
    config.sync.pair,
  );
  if (!edit.ok) return { ok: false, message: `Not saved: ${edit.problems.join('; ')}` };
  if (!edit.changed) return { ok: true, message: 'Nothing changed.' };
  return writeConfig(
    deps,
    edit.text,
    `Saved valueMaps.${name} to ${deps.project.file}; the next round uses it. Replay the records it affects from Held records and field issues.`,
  );
}
