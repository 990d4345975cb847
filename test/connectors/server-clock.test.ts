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

  it('takes the answer that shows the CRM clock furthest on, as long as it is recent', () => {
    const clock = new ServerClock();
    // The CRM's clock is 0.7 s ahead: an answer at 12:00:00.2 here says 12:00:00, one at 12:00:00.4 says 12:00:01.
    vi.advanceTimersByTime(200);
    clock.observe('Wed, 25 Nov 2026 12:00:00 GMT');
    vi.advanceTimersByTime(200);
    clock.observe('Wed, 25 Nov 2026 12:00:01 GMT');
    vi.advanceTimersByTime(200);
    clock.observe('Wed, 25 Nov 2026 12:00:01 GMT');
    const mark = clock.mark();
    vi.advanceTimersByTime(100);
    clock.observe('Wed, 25 Nov 2026 12:00:01 GMT');
    expect(clock.timeAt(mark).toISOString()).toBe('2026-11-25T12:00:01.200Z');
    // Ten minutes on, only what the answers since show counts.
    vi.advanceTimersByTime(10 * 60_000);
    const later = clock.mark();
    vi.advanceTimersByTime(100);
    clock.observe('Wed, 25 Nov 2026 12:10:01 GMT');
    expect(clock.timeAt(later).toISOString()).toBe('2026-11-25T12:10:00.900Z');
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

  it('says when a pull began once it ends, also when it found nothing', async () => {
    const clock = new ServerClock();
    async function* pages(n: number): AsyncGenerator<Page<string>> {
      for (let i = 0; i < n; i++) {
        vi.advanceTimersByTime(1000);
        clock.observe(new Date(Date.now() + 3_600_000).toUTCString());
        yield { records: [`r${i}`], cursor: { modifiedAt: '2026-11-25T10:00:00.000Z', id: `r${i}` } };
      }
    }
    const told: string[] = [];
    const seen: string[][] = [];
    for await (const page of timedPull(clock, pages(2), (at) => told.push(at)))
      seen.push([...page.records, ...told]);
    expect(seen).toEqual([['r0'], ['r1']]);
    expect(told).toEqual(['2026-11-25T13:00:00.000Z']);
    told.length = 0;
    expect(await collect(timedPull(clock, pages(0), (at) => told.push(at)))).toEqual([]);
    expect(told).toEqual(['2026-11-25T12:00:02.000Z']);
  });

  it('takes a record changed just before the pull as a closer bound than the whole seconds of a Date', async () => {
    const clock = new ServerClock();
    vi.advanceTimersByTime(900);
    async function* pages(): AsyncGenerator<Page<string>> {
      vi.advanceTimersByTime(50);
      // The answer says 12:00:00 at 12:00:00.95; the record read was changed at 12:00:00.9.
      clock.observe('Wed, 25 Nov 2026 12:00:00 GMT');
      yield { records: ['r'], cursor: { modifiedAt: '2026-11-25T12:00:00.900Z', id: 'r' } };
    }
    const told: string[] = [];
    await collect(timedPull(clock, pages(), (at) => told.push(at)));
    expect(told).toEqual(['2026-11-25T12:00:00.850Z']);
  });
});
