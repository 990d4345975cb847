import type { FunnelFigures, RoundFigures } from '../src/store/index.ts';
import { FUNNEL_MEANING, MINIMUM_FORMULA, total } from './report-text.ts';

/*
 * The round report as one self-contained HTML page: inline CSS, an inline SVG funnel, no script, no external asset.
 * It holds counts, connection and object names only: never a record's values, never a credential.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const esc = (text: string | number): string => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;margin:2rem auto;max-width:68rem;padding:0 1rem}
h1{font-size:1.4rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:2rem}
p.note{color:#5b6474;max-width:60rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.3rem .7rem;border-bottom:1px solid #e3e6ec}
th{text-align:left;font-weight:600;background:#f5f6f9}td.n{text-align:right;font-variant-numeric:tabular-nums}
.zero{color:#a3a9b5}svg text{font:12px system-ui,sans-serif;fill:#1d2330}
`;

const OBJECT_COLUMNS = [
  ['pulled', 'pulled'],
  ['created', 'created'],
  ['updated', 'updated'],
  ['converted', 'converted'],
  ['unchanged', 'unchanged'],
  ['held', 'held'],
  ['refused', 'refused'],
  ['fieldIssues', 'field issues'],
] as const;

const cell = (figure: string, n: number | undefined) =>
  `<td class="n${n === 0 ? ' zero' : ''}" data-figure="${esc(figure)}">${n === undefined ? '–' : esc(n)}</td>`;

function objectsTable(f: RoundFigures): string {
  const head = OBJECT_COLUMNS.map(([, h]) => `<th>${esc(h)}</th>`).join('');
  const rows = f.objects.map((o) => {
    const name = `${o.entity} ${o.connection}/${o.object}`;
    const cells = OBJECT_COLUMNS.map(([key]) => cell(`${name} ${key}`, o[key])).join('');
    return `<tr><th>${esc(name)} <span class="zero">(${esc(o.system)})</span></th>${cells}</tr>`;
  });
  return `<table id="objects"><tr><th>object</th>${head}</tr>${rows.join('')}</table>`;
}

function funnelTable(f: RoundFigures): string {
  const crms = f.funnel.crms;
  const head = crms
    .map((c) => `<th>${esc(c.connection)} before</th><th>${esc(c.connection)} after</th>`)
    .join('');
  const rows = f.funnel.stages.map(
    (s) =>
      `<tr><th>${esc(s)}</th>${crms.map((c) => cell(`funnel ${c.connection} before ${s}`, c.before[s] ?? 0) + cell(`funnel ${c.connection} after ${s}`, c.after[s] ?? 0)).join('')}</tr>`,
  );
  const totals = crms
    .map(
      (c) =>
        cell(`funnel ${c.connection} before total`, total(c.before)) +
        cell(`funnel ${c.connection} after total`, total(c.after)),
    )
    .join('');
  return `<table id="funnel"><tr><th>stage</th>${head}</tr>${rows.join('')}<tr><th>total</th>${totals}</tr></table>`;
}

/** One horizontal bar chart per CRM: each stage's people before (light) and after (dark). */
function funnelChart(f: RoundFigures): string {
  const stages = f.funnel.stages;
  if (stages.length === 0) return '<p class="note">No people in either CRM yet.</p>';
  const max = Math.max(
    1,
    ...f.funnel.crms.flatMap((c) => stages.flatMap((s) => [c.before[s] ?? 0, c.after[s] ?? 0])),
  );
  const labelWidth = 110;
  const barWidth = 220;
  const panelWidth = labelWidth + barWidth + 90;
  const rowHeight = 30;
  const height = 50 + stages.length * rowHeight;
  const panel = (c: FunnelFigures, i: number) => {
    const x0 = i * panelWidth;
    const bars = stages.map((s, row) => {
      const y = 24 + row * rowHeight;
      const before = c.before[s] ?? 0;
      const after = c.after[s] ?? 0;
      const w = (n: number) => ((n / max) * barWidth).toFixed(1);
      return (
        `<text x="${x0 + labelWidth - 6}" y="${y + 15}" text-anchor="end">${esc(s)}</text>` +
        `<rect x="${x0 + labelWidth}" y="${y}" width="${w(before)}" height="11" fill="#b8c7e6" data-bar="${esc(`${c.connection} before ${s}`)}"><title>${esc(`${c.connection} before, ${s}: ${before}`)}</title></rect>` +
        `<rect x="${x0 + labelWidth}" y="${y + 12}" width="${w(after)}" height="11" fill="#2f5fb3" data-bar="${esc(`${c.connection} after ${s}`)}"><title>${esc(`${c.connection} after, ${s}: ${after}`)}</title></rect>` +
        `<text x="${x0 + labelWidth + Number(w(Math.max(before, after))) + 4}" y="${y + 15}">${esc(`${before} → ${after}`)}</text>`
      );
    });
    return `<text x="${x0 + labelWidth}" y="14" font-weight="600">${esc(`${c.connection} (${c.system})`)}</text>${bars.join('')}`;
  };
  const width = panelWidth * f.funnel.crms.length;
  const legend =
    `<rect x="${labelWidth}" y="${height - 16}" width="12" height="10" fill="#b8c7e6"/><text x="${labelWidth + 16}" y="${height - 7}">before the round</text>` +
    `<rect x="${labelWidth + 130}" y="${height - 16}" width="12" height="10" fill="#2f5fb3"/><text x="${labelWidth + 146}" y="${height - 7}">after</text>`;
  return `<svg id="funnel-chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="lifecycle funnel per CRM, before (light) and after (dark) the round">${f.funnel.crms.map(panel).join('')}${legend}</svg>`;
}

function apiTable(f: RoundFigures): string {
  const rows = f.api.map(
    (a) =>
      `<tr><th>${esc(a.connection)} <span class="zero">(${esc(a.system)})</span></th>${cell(`api ${a.connection} calls`, a.calls)}${cell(`api ${a.connection} minimum`, a.minimum)}${cell(`api ${a.connection} read`, a.read)}${cell(`api ${a.connection} page size`, a.pageSize)}${cell(`api ${a.connection} written`, a.written)}${cell(`api ${a.connection} batch size`, a.batchSize)}${cell(`api ${a.connection} converted`, a.converted)}</tr>`,
  );
  return `<table id="api"><tr><th>connection</th><th>calls</th><th>minimum</th><th>read</th><th>page size</th><th>written</th><th>batch size</th><th>converted</th></tr>${rows.join('')}</table>`;
}

/** The page: what the round did per object, the funnel (table and chart), disagreements, API calls, duration. */
export function renderReportHtml(f: RoundFigures): string {
  const d = f.funnel.disagreements;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>crm-bridge round ${esc(f.runId)}</title><style>${CSS}</style></head><body>
<h1>crm-bridge round report</h1>
<p class="note">Round <code>${esc(f.runId)}</code>${f.dryRun ? ' (dry run: nothing written)' : ''}, <span data-figure="duration ms">${esc(f.durationMs)}</span> ms. Counts only: no record's values.</p>
<h2>Per object and system</h2>${objectsTable(f)}
<h2>Lifecycle funnel</h2><p class="note">${esc(FUNNEL_MEANING)}.</p>${funnelChart(f)}${funnelTable(f)}
<p>People the two CRMs disagreed on (different stage): <b data-figure="disagreements before">${esc(d.before)}</b> before, <b data-figure="disagreements after">${esc(d.after)}</b> after, of <span data-figure="people in both">${esc(d.both)}</span> people in both CRMs after the round.</p>
<h2>API calls</h2><p class="note">${esc(MINIMUM_FORMULA)}. Describe calls, associations and delete checks come on top.</p>${apiTable(f)}
</body></html>
`;
}
