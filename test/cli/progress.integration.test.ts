import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressDisplay } from '../../cli/progress.ts';
import type { ProgressEvent } from '../../src/sync/progress.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** A long round is never silent: the steps say what they do, and the display shows it. */
describe('progress of a round', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness(sqliteDatabase());
    h.sf.seed(
      'Lead',
      Array.from({ length: 450 }, (_, i) => ({
        LastName: `P${i}`,
        Company: `Co ${i}`,
        Email: `p.${i}@progress.example`,
      })),
    );
    h.hs.seed(
      'contacts',
      Array.from({ length: 120 }, (_, i) => ({ email: `q.${i}@progress.example`, lastname: `Q${i}` })),
    );
  });
  afterAll(async () => {
    await h.close();
  });

  it('tells every page pulled, every entity planned, every batch pushed and every entity recorded', async () => {
    const events: ProgressEvent[] = [];
    const report = await runSync({ ...(await h.context()), onProgress: (e) => events.push(e) });
    const person = report.entities.person;
    if (person === undefined) throw new Error('no person report');
    const of = <K extends ProgressEvent['kind']>(kind: K) =>
      events.filter(
        (e): e is Extract<ProgressEvent, { kind: K }> => e.kind === kind && e.entity === 'person',
      );
    expect(of('pulled').reduce((n, e) => n + e.records, 0)).toBe(sum(person.read));
    const [planned] = of('planned');
    expect(planned?.writes).toBe(sum(person.creates) + sum(person.updates));
    expect(planned?.batches).toBeGreaterThan(1);
    expect(of('pushed').reduce((n, e) => n + e.written, 0)).toBe(sum(person.creates) + sum(person.updates));
    expect(of('pushed').length).toBe(planned?.batches);
    expect(of('recorded')).toHaveLength(1);
    // In round order: accounts, deals, people; each recorded once.
    expect(events.filter((e) => e.kind === 'recorded').map((e) => e.entity)).toEqual([
      'account',
      'opportunity',
      'person',
    ]);
  });

  it('without a terminal, prints a line every interval saying where each entity is and the API calls', async () => {
    const lines: string[] = [];
    const display = progressDisplay({
      write: (line) => lines.push(line),
      entities: ['account', 'person'],
      calls: () => ({ sf: 3, hs: 1250 }),
      everyMs: 40,
    });
    display.onProgress({ kind: 'recorded', entity: 'account' });
    display.onProgress({ kind: 'pulled', entity: 'person', target: 'sf/Lead', records: 2000 });
    display.onProgress({ kind: 'planned', entity: 'person', writes: 1500, conversions: 10, batches: 9 });
    display.onProgress({ kind: 'pushed', entity: 'person', written: 200, converted: 0 });
    await new Promise((r) => setTimeout(r, 110));
    display.stop();
    const count = lines.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.length).toBe(count);
    expect(count).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(
      /^progress \d+s · account: done, 0 written · person: written 200 of 1,500, converted 0 of 10 \(pulled 2,000\) · API calls sf 3, hs 1,250$/,
    );
  });

  it('on a terminal, draws a bar per entity with its stage', async () => {
    let drawn = '';
    const terminal = Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          drawn += chunk.toString();
          done();
        },
      }),
      { isTTY: true, columns: 160 },
    );
    const display = progressDisplay({
      write: () => {},
      terminal,
      entities: ['person'],
      calls: () => ({ hs: 42 }),
    });
    display.onProgress({ kind: 'planned', entity: 'person', writes: 100, conversions: 0, batches: 1 });
    display.onProgress({ kind: 'pushed', entity: 'person', written: 50, converted: 0 });
    display.stop();
    expect(drawn).toContain('person');
    expect(drawn).toContain('written 50 of 100');
    expect(drawn).toContain('█'.repeat(12));
    expect(drawn).toContain('API calls');
    expect(drawn).toContain('hs 42');
  });
});
