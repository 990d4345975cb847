import type { Classification } from '../../src/policy/index.ts';
import type { ConsoleDeps } from '../deps.ts';
import { type Html, html, plural, shown, when } from '../html.ts';
import { findPeople, type PersonView, personView, unsyncedView } from '../person-lookup.ts';

const PERSON_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'title',
  'company',
  'lifecycleStage',
  'leadStatus',
  'leadSource',
  'leadType',
  'temperature',
  'score',
] as const;

/** The search form, and the people the query names with everything crm-bridge knows of each. */
export async function explainBody(deps: ConsoleDeps, query: string): Promise<Html> {
  const form = html`<form method="get" action="/explain" role="search">
<label for="q">E-mail address or record id (in either CRM)</label>
<input type="search" id="q" name="q" value="${query}" placeholder="ada@example.com or 00Q…" required>
<button type="submit">Explain</button>
</form>`;
  if (query.trim() === '') return form;
  const ctx = deps.project.ctx;
  const ids = await findPeople(ctx, query);
  if (ids.length === 0) {
    const fresh = query.includes('@')
      ? undefined
      : await unsyncedView(ctx, query.trim(), ctx.now().getTime());
    if (fresh !== undefined)
      return html`${form}<p class="hint" role="status">No round has read this record yet: it is shown as each CRM holds it, classified on its own.</p>${personBlock(deps, fresh)}`;
    return html`${form}<p class="empty" role="status">No person with ${query} in crm-bridge's identity map${query.includes('@') ? ' (e-mail addresses are looked up among the people a round has read)' : ', and no person record with that id in either CRM'}.</p>`;
  }
  const views = await Promise.all(ids.slice(0, 5).map((id) => personView(ctx, id, ctx.now().getTime())));
  return html`${form}${ids.length > 1 ? html`<p class="hint">${plural(ids.length, 'person', 'people')} carry ${query}${ids.length > 5 ? '; the first 5 are shown' : ''}.</p>` : ''}${views.map((v) => personBlock(deps, v))}`;
}

function personBlock(deps: ConsoleDeps, view: PersonView): Html {
  const fields = PERSON_FIELDS.filter((f) => view.records.some((r) => r.person?.[f] !== undefined));
  return html`<section aria-labelledby="person-${view.unifiedId ?? 'unsynced'}">
<h2 id="person-${view.unifiedId ?? 'unsynced'}">${shown(view.classified?.person.firstName ?? '')} ${shown(view.classified?.person.lastName ?? '')} <span class="hint">${view.unifiedId === undefined ? 'not synced yet' : `unified id ${view.unifiedId}`}</span></h2>
<h3>Records</h3>
<div class="scroll"><table>
<thead><tr><th scope="col">Field</th>${view.records.map((r) => {
    const url = deps.links(r.connection, r.object, r.externalId);
    return html`<th scope="col">${url === undefined ? html`${r.connection} ${r.object} ${r.externalId}` : html`<a href="${url}" target="_blank" rel="noopener noreferrer">${r.connection} ${r.object} ${r.externalId}</a>`}</th>`;
  })}${view.provenance.size > 0 ? html`<th scope="col">Last set by</th>` : ''}</tr></thead>
<tbody>${fields.map(
    (f) =>
      html`<tr><th scope="row"><code>${f}</code></th>${view.records.map((r) => html`<td>${shown(r.person?.[f])}</td>`)}${view.provenance.size > 0 ? html`<td>${provenanceOf(view, f)}</td>` : ''}</tr>`,
  )}</tbody></table></div>
${view.records.flatMap((r) => r.problems.map((p) => html`<p class="error">${r.connection} ${r.object} ${r.externalId}: ${deps.scrub(p)}</p>`))}
<h3>Classification</h3>
${
  view.classification === undefined || view.classified === undefined
    ? html`<p class="empty">${deps.project.ctx.policy === undefined ? 'The config names no policy.' : 'No record of this person maps, so the policy cannot classify it.'}</p>`
    : classificationBlock(view.classification, view.classified.from, view.account !== undefined)
}
<h3>History</h3>
${historyBlock(view, deps.scrub)}
</section>`;
}

function classificationBlock(c: Classification, from: string, withAccount: boolean): Html {
  const yes = (b: boolean) =>
    html`<span class="${b ? 'verdict-yes' : 'verdict-no'}">${b ? 'yes' : 'no'}</span>`;
  return html`<p class="hint">Classified from ${from}${withAccount ? ', with its account' : ', without an account'}, by policy version ${c.policyVersion}.</p>
<dl class="facts">
<dt>Stage</dt><dd data-verdict="stage">${c.stage}</dd>
<dt>Lead type</dt><dd>${c.leadType ?? '—'}</dd>
<dt>Temperature</dt><dd>${c.temperature}</dd>
<dt>Score</dt><dd>${c.score}</dd>
<dt>Fits the profile</dt><dd>${yes(c.fit)}</dd>
<dt>Interest</dt><dd>${c.interest.join(', ') || '—'}</dd>
<dt>Sales-ready</dt><dd>${yes(c.salesReady)}</dd>
<dt>Convert</dt><dd>${yes(c.convert.required)}: ${c.convert.reason}</dd>
</dl>
<div class="scroll"><table class="trace">
<caption>Every rule the policy evaluated, in order</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Values seen</th><th scope="col">Verdict</th></tr></thead>
<tbody>${c.trace.map(
    (t) =>
      html`<tr><th scope="row"><code>${t.rule}</code></th><td>${Object.entries(t.saw).map(([k, v]) => html`<code>${k}</code> = ${shown(v)}<br>`)}</td><td>${yes(t.matched)}${t.note ? html` ${t.note}` : ''}</td></tr>`,
  )}</tbody></table></div>`;
}

function historyBlock(view: PersonView, scrub: (text: string) => string): Html {
  const merged = Object.entries(view.snapshot ?? {}).filter(
    ([field, value]) =>
      value !== null && typeof value !== 'object' && !['id', 'deleted', 'kind'].includes(field),
  );
  return html`${
    view.writes.length === 0
      ? html`<p class="empty">crm-bridge has written nothing to this person's records yet.</p>`
      : html`<p>What crm-bridge wrote to this person's records, newest first:</p>
<div class="scroll"><table class="writes"><thead><tr><th scope="col">When</th><th scope="col">Record</th><th scope="col">Done</th><th scope="col">Changes</th></tr></thead><tbody>${view.writes.map(
          (w) =>
            html`<tr><td>${when(w.at)}</td><td>${w.connection} ${w.object} ${w.externalId}</td><td>${w.kind}</td><td>${Object.entries(
              w.changes,
            ).map(
              ([field, c]) => html`<code>${field}</code> ${shown(c.from)} → ${shown(c.to)}<br>`,
            )}</td></tr>`,
        )}</tbody></table></div>`
  }
${
  merged.length === 0
    ? html`<p class="empty">crm-bridge has merged nothing of this person yet.</p>`
    : html`<p>What crm-bridge last merged for this person and wrote to both sides${view.provenance.size > 0 ? ', with the side whose value won a conflict and when that CRM changed it' : ''}:</p>
<div class="scroll"><table class="merged"><thead><tr><th scope="col">Field</th><th scope="col">Value written</th><th scope="col">Won by</th></tr></thead><tbody>${merged.map(
        ([field, value]) => {
          return html`<tr><th scope="row"><code>${field}</code></th><td>${shown(value)}</td><td>${provenanceOf(view, field)}</td></tr>`;
        },
      )}</tbody></table></div>`
}
${
  view.quarantine.length === 0
    ? html`<p class="empty">Never quarantined.</p>`
    : html`<ul class="quarantine-history">${view.quarantine.map(
        (e) =>
          html`<li>#${e.id} ${e.kind} ${e.connection} ${e.object} ${e.field}${e.value === undefined ? '' : ` = ${JSON.stringify(e.value)}`}: ${scrub(e.reason)} (first ${when(e.firstSeen)}, ${e.attempts}×${e.resolvedAt ? html`, resolved ${when(e.resolvedAt)}` : ', open'})</li>`,
      )}</ul>`
}`;
}

/** Which side's value won a field, and when that CRM changed it. */
function provenanceOf(view: PersonView, field: string): Html {
  const source = view.provenance.get(field);
  return source === undefined ? html`—` : html`${source.connection} (${when(source.modifiedAt)})`;
}
