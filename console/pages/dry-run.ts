import { ConnectorFailure } from '../../src/connector/errors.ts';
import { runSync, type SyncReport } from '../../src/sync/run-sync.ts';
import type { ConsoleDeps } from '../deps.ts';
import { type Html, html, plural, shown } from '../html.ts';

/** Writes shown per entity; the counts above the table cover all of them. */
const SHOWN_WRITES = 500;

/** The dry-run form: the plan appears below it (htmx), or on a page of its own without script. */
export function dryRunForm(plan?: Html): Html {
  return html`<p>Plans one round exactly as the next real one would (pull, map, match, merge, classify, plan) and writes nothing: not to the CRMs, not to the state store. It uses API calls to read.</p>
<form method="post" action="/dry-run" hx-post="/dry-run" hx-target="#plan" hx-swap="innerHTML" hx-indicator="#planning" hx-disabled-elt="find button">
<button type="submit">Run a dry-run round</button> <span id="planning" class="htmx-indicator" role="status">Planning the round…</span>
</form>
<div id="plan" aria-live="polite">${plan ?? ''}</div>`;
}

let running = false;

/** Runs a dry-run round (one at a time per console) and shows its plan. */
export async function dryRunPlan(deps: ConsoleDeps): Promise<Html> {
  if (running)
    return html`<p class="error" role="alert">A dry run is already running; wait for it to finish.</p>`;
  running = true;
  try {
    return planTable(deps, await runSync(deps.project.ctx, { dryRun: true }));
  } catch (error) {
    const kind = error instanceof ConnectorFailure ? ` (${error.kind})` : '';
    return html`<p class="error" role="alert">The dry run stopped${kind}: ${deps.scrub((error as Error).message)}</p>`;
  } finally {
    running = false;
  }
}

const listed = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'none';

function planTable(deps: ConsoleDeps, report: SyncReport): Html {
  const problems = [...new Set(Object.values(report.entities).flatMap((r) => r.problems ?? []))];
  const total = Object.values(report.entities).reduce(
    (n, r) =>
      n +
      Object.values(r.creates).reduce((a, b) => a + b, 0) +
      Object.values(r.updates).reduce((a, b) => a + b, 0),
    0,
  );
  return html`<p role="status" data-plan="${report.runId}">Dry run done in ${(report.durationMs / 1000).toFixed(1)} s with ${listed(report.apiCalls)} API calls: ${plural(total, 'write')} planned, nothing written.</p>
${problems.length > 0 ? html`<div class="error"><p>The config and the CRMs disagree:</p><ul>${problems.map((p) => html`<li>${deps.scrub(p)}</li>`)}</ul></div>` : ''}
${Object.entries(report.entities).map(([entity, r]) => {
  if (r.skipped)
    return html`<section><h2>${entity}</h2><p class="error">Skipped until the problems above are fixed.</p></section>`;
  const writes = r.planned ?? [];
  return html`<section aria-labelledby="plan-${entity}"><h2 id="plan-${entity}">${entity}</h2>
<dl class="facts">
<dt>Read</dt><dd>${listed(r.read)}</dd>
<dt>Changed</dt><dd>${r.changed} (and ${r.echoes} echoes of crm-bridge's own writes)</dd>
<dt>Would create</dt><dd data-plan-figure="${entity}-creates">${listed(r.creates)}</dd>
<dt>Would update</dt><dd data-plan-figure="${entity}-updates">${listed(r.updates)}</dd>
<dt>Conversions</dt><dd data-plan-figure="${entity}-conversions">${r.conversions}</dd>
<dt>Would quarantine</dt><dd>${r.quarantined}</dd>
</dl>
${
  writes.length === 0
    ? html`<p class="empty">Nothing to write.</p>`
    : html`<div class="scroll"><table class="plan">
<thead><tr><th scope="col">Action</th><th scope="col">Record</th><th scope="col">Changes (before → after)</th></tr></thead>
<tbody>${writes.slice(0, SHOWN_WRITES).map((w) => {
        const url = w.id === undefined ? undefined : deps.links(w.connection, w.object, w.id);
        const target = `${w.connection} ${w.object} ${w.id ?? w.key ?? '(new)'}`;
        return html`<tr><td>${w.create ? 'create' : 'update'}</td><td>${url === undefined ? target : html`<a href="${url}" target="_blank" rel="noopener noreferrer">${target}</a>`}</td><td>${Object.entries(w.diff).map(([field, d]) => html`<code>${field}</code> ${shown(d.from)} → ${shown(d.to)}<br>`)}</td></tr>`;
      })}</tbody></table></div>${writes.length > SHOWN_WRITES ? html`<p class="hint">The first ${SHOWN_WRITES} of ${writes.length} writes are shown.</p>` : ''}`
}
${
  (r.plannedConversions ?? []).length === 0
    ? ''
    : html`<div class="scroll"><table class="plan conversions">
<thead><tr><th scope="col">Action</th><th scope="col">Record</th><th scope="col">What it makes</th></tr></thead>
<tbody>${(r.plannedConversions ?? []).slice(0, SHOWN_WRITES).map((c) => {
        const url = deps.links(c.connection, c.object, c.id);
        const target = `${c.connection} ${c.object} ${c.id}`;
        const makes = [
          c.lifecycleStage === undefined ? undefined : `stage ${c.lifecycleStage}`,
          c.createOpportunity ? 'an opportunity' : undefined,
        ].filter((x) => x !== undefined);
        return html`<tr><td>convert</td><td>${url === undefined ? target : html`<a href="${url}" target="_blank" rel="noopener noreferrer">${target}</a>`}</td><td>${makes.length === 0 ? 'the conversion only' : makes.join(', ')}</td></tr>`;
      })}</tbody></table></div>`
}
</section>`;
})}`;
}
