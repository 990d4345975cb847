import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../bench/results-table.ts';

const run = promisify(execFile);

describe('npm run bench', () => {
  it('prints one table and writes the same rows as JSON: every figure beside its bound, at a tiny size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-bridge-bench-test-'));
    try {
      const out = join(dir, 'results.json');
      const { stdout } = await run(
        process.execPath,
        [
          'bench/all.ts',
          ...['--people', '300', '--memory-people', '200,400', '--engine-people', '400'],
          ...['--workers', '1,2', '--out', out],
        ],
        { timeout: 280_000, maxBuffer: 16 * 1024 * 1024 },
      );
      const results = JSON.parse(await readFile(out, 'utf8')) as { rows: Row[]; options: unknown };
      expect(results.options).toEqual({
        people: 300,
        fleetPeople: 300,
        memoryPeople: [200, 400],
        enginePeople: 400,
        workers: [1, 2],
      });
      const measures = results.rows.map((r) => r.measure);
      for (const part of [
        'map + classify, 300 people',
        'against JSON.parse + JSON.stringify',
        'Salesforce API calls against the minimum',
        'HubSpot API calls against the minimum',
        "wall time against HubSpot's rate-limit bound",
        '429s',
        'idle round after it: Salesforce',
        'idle round after it: HubSpot',
        'peak RSS, one-direction first sync of 200 people with the round report',
        'peak RSS, one-direction first sync of 400 people with the round report',
        'peak RSS of a 1,000,000-person',
        'peak RSS, one-direction first sync of 400 people, the engine alone',
        'scale-out: 300-person round, 1 worker process',
        'scale-out: 300-person round, 2 worker processes',
        'Redis Cluster (3 masters)',
        'Redis Cluster, one master restarted mid-round',
      ])
        expect(
          measures.filter((m) => m.includes(part)),
          part,
        ).toHaveLength(1);
      for (const r of results.rows) {
        expect(Number.isFinite(r.figure), r.measure).toBe(true);
        expect(Number.isFinite(r.bound), r.measure).toBe(true);
        expect(r.met, r.measure).toBe(r.goal === '<=' ? r.figure <= r.bound : r.figure >= r.bound);
        expect(r.unit, r.measure).not.toBe('');
      }
      // The memory runs count the round report over everyone they synced.
      const memory = results.rows.filter((r) => r.measure.includes('with the round report'));
      for (const r of memory) expect(r.detail).toMatch(/funnel counts [\d,]+ in sf, [\d,]+ in hs/);
      expect(memory[1]?.detail).toContain('funnel counts 400 in sf, 400 in hs');
      // Each scale-out row says where the machine's CPU went during its round, the workers' share counted.
      for (const r of results.rows.filter((row) => row.measure.startsWith('scale-out')))
        expect(r.detail).toMatch(
          /CPU over the round \(\d+ cores × [\d.]+ s\): workers \d+\.\d s .*postgres .*idle /,
        );
      const cpu = (results as unknown as { details: { scaleOut: { cpu: Record<string, number> }[] } }).details
        .scaleOut;
      for (const run of cpu) expect(run.cpu.workers).toBeGreaterThan(0);
      // Nothing may be lost on the cluster, restarted or not, at any size.
      for (const r of results.rows.filter((row) => row.measure.startsWith('Redis Cluster')))
        expect(r.figure, r.detail).toBe(0);
      // The table on stdout: a header, its rule, and one line per row, in the JSON's order.
      const lines = stdout.split('\n').filter((line) => line.startsWith('|'));
      expect(lines[0]).toBe('| measure | figure | bound | ratio | met | detail |');
      expect(lines.slice(2).map((line) => line.split(' | ')[0]?.slice(2))).toEqual(
        results.rows.map((r) => r.measure.replaceAll('|', '\\|')),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
