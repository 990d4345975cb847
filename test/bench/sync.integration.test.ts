import { describe, expect, it } from 'vitest';
import { type LaterRound, measureSync } from '../../bench/sync.ts';

const served = (r: LaterRound) => {
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  return { sf: sum(r.served.sf), hs: sum(r.served.hs) };
};

describe('npm run bench:sync', () => {
  it('measures the idle round a worker sees: its connectors kept, the previous pull begun sync.overlap after the last write', async () => {
    const f = await measureSync({ people: 2000, data: 'scale' });
    expect(f.overlap).toBe('10s');
    // Nothing changed and no pull had a write left to read again: one query per object, nothing described again.
    expect(f.idle.writes).toBe(0);
    for (const [target, n] of Object.entries(f.idle.read)) expect(n, target).toBe(0);
    expect(f.idle.calls.sf).toBeLessThanOrEqual(f.objects.sf.length);
    expect(f.idle.calls.hs).toBeLessThanOrEqual(f.objects.hs.length);
    expect(f.idle.served.sf).not.toHaveProperty('describe');
    expect(f.idle.served.hs).not.toHaveProperty('GET /crm/v3/properties');
    // The round before it wrote nothing and began sync.overlap (and the Date header's second) after the last write.
    const before = f.between.at(-1);
    expect(before?.writes).toBe(0);
    expect(before?.afterWrite).toBeGreaterThanOrEqual(11);
    expect(f.second.afterWrite).toBeLessThan(1);
    // Each later round's calls are the difference of the connectors' counters: the requests the sandboxes served.
    for (const r of [f.second, ...f.between, f.idle]) expect(r.calls).toEqual(served(r));
    // The first sync is counted as before: every call each sandbox served in it, the token request aside.
    expect(f.first.calls.sf).toBe(Object.values(f.first.byEndpoint.sf).reduce((a, b) => a + b, 0));
    expect(f.first.calls.hs).toBe(Object.values(f.first.byEndpoint.hs).reduce((a, b) => a + b, 0));
  }, 120_000);
});
