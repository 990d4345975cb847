import { readStatus, type Status } from '../../jobs/status.ts';
import { entitiesOf } from '../../src/sync/round.ts';
import { roundsChart } from '../chart.ts';
import type { ConsoleDeps } from '../deps.ts';
import { type Html, html, plural, when } from '../html.ts';
import { type RunFigures, runFigures } from '../run-figures.ts';

const CHART_DAYS = 7;

/** A round running now, as its sync job reports it. */
interface LiveRound {
  readonly jobId: string;
  readonly pair: string;
  readonly entity: string | undefined;
  /** Which entity of how many. */
  readonly position: string;
  readonly step: string;
  readonly startedAt: string | undefined;
  readonly calls: Readonly<Record<string, number>>;
}

/** Everything the health page shows, read from Redis and the store the way `crm-bridge status` reads it. */
export interface Health {
  readonly status: Status;
  readonly figures: readonly RunFigures[];
  readonly chart: readonly RunFigures[];
  readonly live: readonly LiveRound[];
}

export async function readHealth(deps: ConsoleDeps, now = Date.now()): Promise<Health> {
  const { store } = deps.project.ctx;
  const status = await readStatus(deps.queue, store, {
    runs: 20,
    redis: deps.redis,
    prefix: deps.prefix,
    children: deps.children,
  });
  const since = new Date(now - CHART_DAYS * 86_400_000).toISOString();
  const recent = (await store.listRuns(5_000)).filter((r) => r.startedAt >= since);
  const entities = entitiesOf(deps.project.ctx);
  const live = (await deps.queue.getActive()).map((job) => {
    const round = job.data.round;
    return {
      jobId: job.id ?? '',
      pair: job.data.pair,
      entity: round === undefined ? undefined : entities[round.index],
      position: round === undefined ? 'starting' : `${round.index + 1} of ${entities.length}`,
      step: round?.step ?? 'waiting for the pair',
      startedAt: round === undefined ? undefined : new Date(round.startedAt).toISOString(),
      calls: round?.calls ?? {},
    };
  });
  return { status, figures: status.runs.map(runFigures), chart: recent.map(runFigures), live };
}

const listed = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '—';

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** The part of the health page that refreshes itself every few seconds (htmx), or on reload without script. */
export function healthBody(health: Health, scrub: (text: string) => string): Html {
  const { status } = health;
  const running = health.live.length > 0 || health.figures.some((r) => r.status === 'running');
  return html`<div id="health" hx-get="/health/live" hx-trigger="every ${running ? 1 : 3}s" hx-swap="outerHTML">
<section aria-labelledby="now-title">
<h2 id="now-title">Now</h2>
${
  health.live.length === 0
    ? html`<p class="idle">No round is running.</p>`
    : health.live.map(
        (r) =>
          html`<p class="running" role="status">Round of <strong>${r.pair}</strong> running (job ${r.jobId}): ${r.entity ?? 'starting'} (entity ${r.position}), step <strong>${r.step}</strong>${r.startedAt ? html`, since ${when(r.startedAt)}` : ''}; API calls so far: ${listed(r.calls)}.</p>`,
      )
}
<dl class="facts">
${status.schedules.length === 0 ? html`<dt>Next round</dt><dd>no schedule registered (start <code>crm-bridge worker</code>)</dd>` : ''}
${status.schedules.map(
  (s) =>
    html`<dt>Next round of ${s.pair ?? s.id}</dt><dd data-figure="next-round">${s.next === undefined ? 'not planned' : when(s.next)}</dd>`,
)}
<dt>Open quarantine entries</dt><dd><a href="/quarantine" data-figure="quarantine-open">${status.quarantine.open}</a></dd>
<dt>Dead letters</dt><dd data-figure="dead-letters">${status.deadLetters.length}</dd>
</dl>
</section>
<section aria-labelledby="rounds-title">
<h2 id="rounds-title">Last rounds</h2>
${roundsChart(health.chart, CHART_DAYS)}
<div class="scroll"><table class="rounds">
<caption>The newest ${plural(health.figures.length, 'round')} of the run log</caption>
<thead><tr><th scope="col">Started</th><th scope="col">Pair</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Created</th><th scope="col">Updated</th><th scope="col">Quarantined</th><th scope="col">Conversions</th><th scope="col">API calls</th><th scope="col">Errors</th></tr></thead>
<tbody>
${health.figures.map(
  (r) => html`<tr data-run="${r.id}">
<td>${when(r.startedAt)}</td><td>${r.pair}</td><td class="status-${r.status}">${r.status}</td><td>${seconds(r.durationMs)}</td>
<td data-figure="created">${r.created}</td><td data-figure="updated">${r.updated}</td><td data-figure="quarantined">${r.quarantined}</td><td data-figure="conversions">${r.conversions}</td>
<td data-figure="api-calls">${listed(r.apiCalls)}</td><td>${listed(r.errors)}</td></tr>`,
)}
</tbody></table></div>
${health.figures.length === 0 ? html`<p class="empty">No round has run yet.</p>` : ''}
</section>
<section aria-labelledby="budget-title">
<h2 id="budget-title">API budget left</h2>
${
  Object.keys(status.budgets).length === 0
    ? html`<p class="empty">No connection has reported its budget yet (a worker records it after each job).</p>`
    : html`<div class="scroll"><table><thead><tr><th scope="col">Connection</th><th scope="col">System</th><th scope="col">Left</th><th scope="col">Used</th><th scope="col">Limit</th><th scope="col">As of</th></tr></thead><tbody>
${Object.entries(status.budgets).map(
  ([c, b]) =>
    html`<tr><th scope="row">${c}</th><td>${b.system}</td><td data-figure="budget-left">${b.limit - b.used}</td><td>${b.used}</td><td>${b.limit}</td><td>${when(b.at)}</td></tr>`,
)}</tbody></table></div>`
}
</section>
<section aria-labelledby="queues-title">
<h2 id="queues-title">Queues and dead letters</h2>
<div class="scroll"><table><thead><tr><th scope="col">Queue</th><th scope="col">Waiting</th><th scope="col">Active</th><th scope="col">Delayed</th><th scope="col">Failed</th><th scope="col">Completed</th></tr></thead><tbody>
${Object.entries(status.queues).map(
  ([name, c]) =>
    html`<tr><th scope="row">${name}</th><td>${c.waiting}</td><td>${c.active}</td><td>${c.delayed}</td><td>${c.failed}</td><td>${c.completed}</td></tr>`,
)}</tbody></table></div>
${
  status.deadLetters.length === 0
    ? html`<p class="empty">No dead letters.</p>`
    : html`<ul class="dead-letters">${status.deadLetters.map(
        (d) =>
          html`<li><strong>${d.queue} job ${d.id}</strong> (${d.pair ?? '?'}) failed ${when(d.failedAt)} after ${d.attempts} attempts: ${scrub(d.reason)}</li>`,
      )}</ul><p class="hint">Re-queue them with <code>crm-bridge replay --job &lt;id&gt;</code>.</p>`
}
</section>
</div>`;
}
