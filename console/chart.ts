import { type Html, html } from './html.ts';
import type { RunFigures } from './run-figures.ts';

const WIDTH = 720;
const HEIGHT = 200;
const PAD = { left: 44, right: 8, top: 12, bottom: 28 };
/** More rounds than this are summed per hour (a round every 15 minutes makes 672 a week, 168 hours), then per day. */
const MAX_BARS = 180;

/** One bar pair: a round, or the rounds of an hour or a day added up. */
interface Bar {
  readonly label: string;
  readonly title: string;
  readonly written: number;
  readonly quarantined: number;
}

/** The finished rounds, oldest first, as bars: one per round while they fit, else summed per hour or per day. */
export function bars(runs: readonly RunFigures[]): Bar[] {
  const finished = runs
    .filter((r) => r.status !== 'running')
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const per = (length: number, unit: string): Bar[] => {
    const groups = new Map<string, { written: number; quarantined: number; rounds: number }>();
    for (const r of finished) {
      const key = r.startedAt.slice(0, length);
      const g = groups.get(key) ?? { written: 0, quarantined: 0, rounds: 0 };
      groups.set(key, {
        written: g.written + r.written,
        quarantined: g.quarantined + r.quarantined,
        rounds: g.rounds + 1,
      });
    }
    return [...groups.entries()].map(([key, g]) => ({
      label: key.slice(5).replace('T', ' ') + (unit === 'hour' ? 'h' : ''),
      title: `${key.replace('T', ' ')}${unit === 'hour' ? ':00' : ''} (${g.rounds} rounds)`,
      written: g.written,
      quarantined: g.quarantined,
    }));
  };
  if (finished.length <= MAX_BARS)
    return finished.map((r) => {
      const label = r.startedAt.slice(5, 16).replace('T', ' ');
      return { label, title: label, written: r.written, quarantined: r.quarantined };
    });
  const hourly = per(13, 'hour');
  return hourly.length <= MAX_BARS ? hourly : per(10, 'day');
}

/**
 * Records written and quarantined per round, oldest on the left: two bars per round, drawn on the server as SVG
 * (no script), with a title on each bar and a text summary for screen readers.
 */
export function roundsChart(runs: readonly RunFigures[], days: number): Html {
  const finished = bars(runs);
  if (finished.length === 0) return html`<p class="empty">No round finished in the last ${days} days.</p>`;
  const max = Math.max(1, ...finished.map((r) => Math.max(r.written, r.quarantined)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / finished.length;
  const bar = Math.max(1, Math.min(18, slot / 2 - 1));
  const y = (n: number) => PAD.top + plotH - (n / max) * plotH;
  const written = finished.reduce((n, r) => n + r.written, 0);
  const quarantined = finished.reduce((n, r) => n + r.quarantined, 0);
  const rounds = runs.filter((r) => r.status !== 'running').length;
  const ticks = [0, Math.round(max / 2), max];
  const labelEvery = Math.max(1, Math.ceil(finished.length / 6));
  return html`<figure class="chart">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMidYMid meet">
<title id="chart-title">Records written and quarantined per round, last ${days} days</title>
<desc id="chart-desc">${rounds} rounds: ${written} records written, ${quarantined} quarantined.</desc>
${ticks.map(
  (t) =>
    html`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(t)}" y2="${y(t)}" class="grid"/><text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end" class="axis">${t}</text>`,
)}
${finished.map((r, i) => {
  const x = PAD.left + i * slot + slot / 2;
  return html`<g>
<rect class="written" x="${x - bar}" y="${y(r.written)}" width="${bar}" height="${PAD.top + plotH - y(r.written)}"><title>${r.title}: ${r.written} written</title></rect>
<rect class="quarantined" x="${x}" y="${y(r.quarantined)}" width="${bar}" height="${PAD.top + plotH - y(r.quarantined)}"><title>${r.title}: ${r.quarantined} quarantined</title></rect>
${i % labelEvery === 0 ? html`<text x="${x}" y="${HEIGHT - 8}" text-anchor="middle" class="axis">${r.label}</text>` : ''}
</g>`;
})}
</svg>
<figcaption><span class="key written"></span> written (created + updated) <span class="key quarantined"></span> quarantined (held, refused, field issues)${finished.length < rounds ? ` — summed per ${finished.length > 0 && finished[0]?.label.endsWith('h') ? 'hour' : 'day'}` : ''}</figcaption>
</figure>`;
}
