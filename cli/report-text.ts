import type { RoundFigures } from '../src/store/index.ts';

/** What "in each CRM" means in the funnel, said where the funnel is shown. */
export const FUNNEL_MEANING =
  'people linked to a record in each CRM, at the stage that record holds as far as crm-bridge can tell: before, ' +
  'the stage the round read from it (records changed since the last round) or else the stage last synced; after, ' +
  'the stage the round synced, or "not in step" where the record is held, refused or has an open stage issue';

/** How the minimum number of API calls is counted. */
export const MINIMUM_FORMULA =
  'minimum = Σ per object pulled ⌈records read / page size⌉ (at least 1) + Σ per object written ⌈records written / batch size⌉ + ⌈conversions / batch size⌉';

const COLUMNS = [
  'pulled',
  'created',
  'updated',
  'converted',
  'unchanged',
  'held',
  'refused',
  'fieldIssues',
] as const;
const HEADINGS = [
  'pulled',
  'created',
  'updated',
  'converted',
  'unchanged',
  'held',
  'refused',
  'field issues',
];

/** Rows of cells as aligned text: the first column to the left, the others to the right. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map(
    (r) =>
      `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`,
  );
}

/** The round report an operator reads after `sync --once` and in `status --run <id>`: counts only. */
export function formatRoundFigures(f: RoundFigures): string {
  const lines = ['per object and system:'];
  lines.push(
    ...table([
      ['object', ...HEADINGS],
      ...f.objects.map((o) => [
        `${o.entity} ${o.connection}/${o.object} (${o.system})`,
        ...COLUMNS.map((c) => String(o[c])),
      ]),
    ]),
  );
  lines.push(`lifecycle funnel: ${FUNNEL_MEANING}`);
  if (f.funnel.stages.length === 0) lines.push('  no people in either CRM yet');
  else
    lines.push(
      ...table([
        ['stage', ...f.funnel.crms.flatMap((c) => [`${c.connection} before`, `${c.connection} after`])],
        ...f.funnel.stages.map((s) => [
          s,
          ...f.funnel.crms.flatMap((c) => [String(c.before[s] ?? 0), String(c.after[s] ?? 0)]),
        ]),
        ['total', ...f.funnel.crms.flatMap((c) => [String(total(c.before)), String(total(c.after))])],
      ]),
    );
  const d = f.funnel.disagreements;
  lines.push(
    `people the two CRMs disagreed on (different stage): ${d.before} before, ${d.after} after (${d.both} people in both CRMs after)`,
  );
  lines.push(`API calls against the minimum the data needs (${MINIMUM_FORMULA}):`);
  for (const a of f.api)
    lines.push(
      `  ${a.connection} (${a.system}): ${a.calls ?? 'not counted'} calls, minimum ${a.minimum} (read ${a.read}, page size ${a.pageSize}; written ${a.written}, batch size ${a.batchSize}; converted ${a.converted})`,
    );
  lines.push(`duration: ${f.durationMs} ms`);
  return lines.join('\n');
}

export const total = (counts: Readonly<Record<string, number>>): number =>
  Object.values(counts).reduce((a, b) => a + b, 0);
