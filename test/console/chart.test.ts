import { describe, expect, it } from 'vitest';
import { bars, roundsChart } from '../../console/chart.ts';
import type { RunFigures } from '../../console/run-figures.ts';

const round = (startedAt: string, written: number, quarantined = 0): RunFigures => ({
  id: startedAt,
  pair: 'sf-hs',
  startedAt,
  status: 'succeeded',
  durationMs: 1000,
  written,
  created: written,
  updated: 0,
  quarantined,
  conversions: 0,
  apiCalls: {},
  errors: {},
});

describe('the rounds chart', () => {
  it('draws one pair of bars per round, oldest first, with the totals for screen readers', () => {
    const svg = roundsChart(
      [round('2026-12-05T10:15:00.000Z', 4, 1), round('2026-12-05T10:00:00.000Z', 10)],
      7,
    ).text;
    expect(svg).toContain('<desc id="chart-desc">2 rounds: 14 records written, 1 quarantined.</desc>');
    expect([...svg.matchAll(/<title>([^<]+)<\/title>/g)].map((m) => m[1])).toEqual([
      '12-05 10:00: 10 written',
      '12-05 10:00: 0 quarantined',
      '12-05 10:15: 4 written',
      '12-05 10:15: 1 quarantined',
    ]);
  });

  it('sums a week of 15-minute rounds per hour, and more than that per day', () => {
    const week = Array.from({ length: 672 }, (_, i) =>
      round(new Date(Date.parse('2026-12-01T00:00:00Z') + i * 900_000).toISOString(), 1, i % 4 === 0 ? 1 : 0),
    );
    const hourly = bars(week);
    expect(hourly).toHaveLength(168);
    expect(hourly[0]).toEqual({
      label: '12-01 00h',
      title: '2026-12-01 00:00 (4 rounds)',
      written: 4,
      quarantined: 1,
    });
    const daily = bars([
      ...week,
      ...week.map((r) => ({ ...r, startedAt: r.startedAt.replace('2026-12', '2026-11') })),
    ]);
    expect(daily).toHaveLength(14);
    expect(daily.at(-1)).toMatchObject({ label: '12-07', written: 96 });
    expect(roundsChart(week, 7).text).toContain('summed per hour');
  });

  it('says so when no round finished', () => {
    expect(roundsChart([], 7).text).toBe('<p class="empty">No round finished in the last 7 days.</p>');
  });
});
