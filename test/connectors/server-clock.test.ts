import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServerClock, timedPull } from '../../src/connector/server-clock.ts';
import type { Page } from '../../src/connector/types.ts';

const local = Date.parse('2026-11-25T12:00:00.000Z');

async function collect<T>(pages: AsyncIterable<Page<T>>): Promise<Page<T>[]> {
  const out: Page<T>[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe("a CRM's clock from the Date headers of its answers", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: local });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gives the CRM's time at the mark, less the time its answer took to come", () => {
    const clock = new ServerClock();
    const mark = clock.mark();
    vi.advanceTimersByTime(1500);
    // The CRM's clock is an hour behind this machine's.
    clock.observe('Wed, 25 Nov 2026 11:00:01 GMT');
    expect(clock.timeAt(mark).toISOString()).toBe('2026-11-25T10:59:59.500Z');
  });

  it("falls back to this machine's clock at the mark when no answer since had a Date", () => {
    const clock = new ServerClock();
    clock.observe('Wed, 25 Nov 2026 11:00:00 GMT');
    const mark = clock.mark();
    vi.advanceTimersByTime(800);
    clock.observe(undefined);
    clock.observe('not a date');
    expect(clock.timeAt(mark).toISOString()).toBe('2026-11-25T12:00:00.000Z');
  });

  it('says when a pull began once, before its first page, or at its end when it finds nothing', async () => {
    const clock = new ServerClock();
    async function* pages(n: number): AsyncGenerator<Page<string>> {
      for (let i = 0; i < n; i++) {
        vi.advanceTimersByTime(1000);
        clock.observe(new Date(Date.now() - 3_600_000).toUTCString());
        yield { records: [`r${i}`], cursor: { modifiedAt: '2026-11-25T10:00:00.000Z', id: `r${i}` } };
      }
    }
    const told: string[] = [];
    const seen: string[][] = [];
    for await (const page of timedPull(clock, pages(2), (at) => told.push(at))) {
      seen.push([...page.records, ...told]);
    }
    expect(seen).toEqual([
      ['r0', '2026-11-25T11:00:00.000Z'],
      ['r1', '2026-11-25T11:00:00.000Z'],
    ]);
    told.length = 0;
    expect(await collect(timedPull(clock, pages(0), (at) => told.push(at)))).toEqual([]);
    expect(told).toEqual(['2026-11-25T12:00:02.000Z']);
  });
});
