import { setTimeout as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ReadAhead } from '../../src/sync/read-ahead.ts';

/** A source of pages of `size` records each, counting what it was asked for and whether it was ended. */
function source(pages: number, size = 10, failAt?: number) {
  const seen = { read: 0, ended: false };
  async function* run() {
    try {
      for (let i = 0; i < pages; i++) {
        if (i === failAt) throw new Error(`page ${i} failed`);
        seen.read++;
        yield { n: i, records: size };
      }
    } finally {
      seen.ended = true;
    }
  }
  return { seen, pages: run() };
}

const weigh = (page: { records: number }) => page.records;

describe('ReadAhead', () => {
  it('reads the source ahead up to its limit before anything is taken, then gives every item in order', async () => {
    const { seen, pages } = source(10);
    const ahead = new ReadAhead(pages, weigh, 35);
    await tick(10);
    // 35 records of room: pages are taken until the buffer holds at least that much.
    expect(seen.read).toBe(4);
    const taken: number[] = [];
    for await (const page of ahead) taken.push(page.n);
    expect(taken).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen.ended).toBe(true);
  });

  it('reads further when its limit is raised, and holds one item ahead at a limit of 1', async () => {
    const { seen, pages } = source(10);
    const ahead = new ReadAhead(pages, weigh, 1);
    await tick(10);
    expect(seen.read).toBe(1);
    ahead.setLimit(50);
    await tick(10);
    expect(seen.read).toBe(5);
    await ahead.stop();
  });

  it("gives the source's error where it happened, after the items before it", async () => {
    const { pages } = source(10, 10, 3);
    const ahead = new ReadAhead(pages, weigh, 1000);
    const taken: number[] = [];
    await expect(
      (async () => {
        for await (const page of ahead) taken.push(page.n);
      })(),
    ).rejects.toThrow('page 3 failed');
    expect(taken).toEqual([0, 1, 2]);
  });

  it('ends the source when stopped, without reading the rest', async () => {
    const { seen, pages } = source(1000);
    const ahead = new ReadAhead(pages, weigh, 20);
    await tick(10);
    await ahead.stop();
    expect(seen.ended).toBe(true);
    expect(seen.read).toBe(2);
  });
});
