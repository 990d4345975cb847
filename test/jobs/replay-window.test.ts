import { describe, expect, it } from 'vitest';
import { FULL_RELOAD, rewindPoint } from '../../jobs/replay-window.ts';
import type { RunRecord } from '../../src/store/index.ts';

const run = (
  id: string,
  startedAt: string,
  finishedAt: string,
  status: RunRecord['status'] = 'succeeded',
  pair = 'sf-hs',
): RunRecord => ({
  id,
  pair,
  startedAt: `2026-11-25T${startedAt}:00.000Z`,
  finishedAt: `2026-11-25T${finishedAt}:00.000Z`,
  status,
});

describe('where replay moves a cursor back to', () => {
  const runs = [
    run('a', '10:00', '10:01'),
    run('b', '10:15', '10:16'),
    run('c', '10:30', '10:31', 'failed'),
    run('d', '10:45', '10:46', 'succeeded', 'sf2-hs'),
    run('e', '11:00', '11:01'),
  ];

  it.each([
    // Set aside by the 11:00 round: the last good round before it started at 10:15 and had read the record then.
    ['2026-11-25T11:00:30.000Z', '2026-11-25T10:15:00.000Z'],
    // Set aside by the 10:15 round itself.
    ['2026-11-25T10:15:40.000Z', '2026-11-25T10:00:00.000Z'],
    // No good round before: read the object again from the start.
    ['2026-11-25T10:00:30.000Z', FULL_RELOAD],
  ])('an entry first seen at %s → %s', (firstSeen, to) => {
    expect(rewindPoint(firstSeen, 'sf-hs', runs)).toBe(to);
  });
});
