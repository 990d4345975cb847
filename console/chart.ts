import { type Html, html } from './html.ts';
import type { RunFigures } from './run-figures.ts';

const WIDTH = 720;
const HEIGHT = 200;
const PAD = { left: 44, right: 8, top: 12, bottom: 28 };

/**
 * Records written and quarantined per round, oldest on the left: two bars per round, drawn on the server as SVG
 * (no script), with a title on each bar and a text summary for screen readers.
 */
export function roundsChart(runs: readonly RunFigures[], days: number): Html {
  const finished = [...runs].filter((r) => r.status !== 'running').reverse();
  if (finished.length === 0) return html`<p class="empty">No round finished in the last ${days} days.</p>`;
  const max = Math.max(1, ...finished.map((r) => Math.max(r.written, r.quarantined)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / finished.length;
  const bar = Math.max(1, Math.min(18, slot / 2 - 1));
  const y = (n: number) => PAD.top + plotH - (n / max) * plotH;
  const written = finished.reduce((n, r) => n + r.written, 0);
  const quarantined = finished.reduce((n, r) => n + r.quarantined, 0);
  const ticks = [0, Math.round(max / 2), max];
  const labelEvery = Math.max(1, Math.ceil(finished.length / 6));
  return html`<figure class="chart">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMidYMid meet">
<title id="chart-title">Records written and quarantined per round, last ${days} days</title>
<desc id="chart-desc">${finished.length} rounds: ${written} records written, ${quarantined} quarantined.</desc>
${ticks.map(
  (t) =>
    html`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(t)}" y2="${y(t)}" class="grid"/><text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end" class="axis">${t}</text>`,
)}
${finished.map((r, i) => {
  const x = PAD.left + i * slot + slot / 2;
  const when = r.startedAt.slice(5, 16).replace('T', ' ');
  return html`<g>
<rect class="written" x="${x - bar}" y="${y(r.written)}" width="${bar}" height="${PAD.top + plotH - y(r.written)}"><title>${when}: ${r.written} written</title></rect>
<rect class="quarantined" x="${x}" y="${y(r.quarantined)}" width="${bar}" height="${PAD.top + plotH - y(r.quarantined)}"><title>${when}: ${r.quarantined} quarantined</title></rect>
${i % labelEvery === 0 ? html`<text x="${x}" y="${HEIGHT - 8}" text-anchor="middle" class="axis">${when}</text>` : ''}
</g>`;
})}
</svg>
<figcaption><span class="key written"></span> written (created + updated) <span class="key quarantined"></span> quarantined (held, refused, field issues)</figcaption>
</figure>`;
}
