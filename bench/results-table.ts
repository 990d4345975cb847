/** One figure of `npm run bench` beside its bound. */
export interface Row {
  /** What is measured, and at what size. */
  readonly measure: string;
  readonly figure: number;
  readonly unit: string;
  /** `<=`: the figure must not exceed the bound; `>=`: it must reach it. */
  readonly goal: '<=' | '>=';
  readonly bound: number;
  /** figure / bound. */
  readonly ratio: number;
  readonly met: boolean;
  /** What the figure is made of, or why the bound is what it is. */
  readonly detail: string;
}

export function row(
  measure: string,
  figure: number,
  unit: string,
  goal: Row['goal'],
  bound: number,
  detail: string,
): Row {
  const ratio = bound === 0 ? (figure === 0 ? 1 : Number.POSITIVE_INFINITY) : figure / bound;
  return {
    measure,
    figure,
    unit,
    goal,
    bound,
    ratio: Math.round(ratio * 1000) / 1000,
    met: goal === '<=' ? figure <= bound : figure >= bound,
    detail,
  };
}

const number = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** The rows as one Markdown table: figure, bound, ratio, met or not. */
export function markdownTable(rows: readonly Row[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const lines = [
    '| measure | figure | bound | ratio | met | detail |',
    '| --- | ---: | ---: | ---: | :-: | --- |',
    ...rows.map((r) =>
      [
        cell(r.measure),
        `${number(r.figure)} ${r.unit}`,
        `${r.goal} ${number(r.bound)} ${r.unit}`,
        Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '∞',
        r.met ? 'yes' : '**no**',
        cell(r.detail),
      ].join(' | '),
    ),
  ];
  return lines.map((line) => `| ${line.replace(/^\| | \|$/g, '')} |`).join('\n');
}
