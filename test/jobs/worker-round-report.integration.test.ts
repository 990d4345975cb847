import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { runWithReport } from '../../cli/report-round.ts';
import type { SyncJobResult } from '../../jobs/payloads.ts';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { seedDemo } from '../../sandboxes/demo-data.ts';
import type { RoundFigures } from '../../src/store/index.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { postgresDatabase, sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';
import { dropPrefix, REDIS_URL, testPrefix, until } from './redis-prefix.ts';
import { memoryLogger } from './worker-kit.ts';

/**
 * The same people in two pairs of sandboxes: one synced by `sync --once` (one process), the other by a worker whose
 * round runs as jobs (plan, push batches, conversions, record, commit). The worker's round keeps the same report in
 * the run log, and `crm-bridge status --run` shows it as it shows a `sync --once` round.
 */
/** A schedule that never fires during a test. */
const QUIET = { cron: '0 0 1 1 *' };

describe('the round report of a round the worker runs', () => {
  let once: SyncHarness;
  let jobs: SyncHarness;
  let worker: RunningWorker;
  let expected: RoundFigures;
  let runId: string;
  const prefix = testPrefix();
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-worker-report-'));
  const { logger, lines } = memoryLogger();

  beforeAll(async () => {
    // The worker's state on PostgreSQL, as workers on several machines keep it; `sync --once` on SQLite.
    [once, jobs] = await Promise.all([startHarness(sqliteDatabase()), startHarness(postgresDatabase())]);
    // 40 people (some in both CRMs, a few sales-ready and converted), their accounts and deals, in both pairs.
    // One of them with a phone number too short to write (a field issue), one with no e-mail to match on (held).
    for (const h of [once, jobs]) {
      seedDemo(h.sf, h.hs, 40);
      h.hs.seed('contacts', [
        { email: 'short.phone@p.example', lastname: 'Short', phone: '12' },
        { email: 'not-an-address', lastname: 'Nomail' },
      ]);
    }
    const result = await runWithReport(await once.context(), false, (ctx) => runSync(ctx));
    if (result.figures === undefined) throw new Error('sync --once kept no figures');
    expected = result.figures;

    const rounds: Extract<SyncJobResult, { runId: string }>[] = [];
    // No scheduled round (its first tick would come at once): only the round the test asks for.
    const base = await jobs.context();
    const ctx = { ...base, config: { ...base.config, sync: { ...base.config.sync, schedule: QUIET } } };
    worker = await startWorker({
      runtime: { ctx, close: async () => {} },
      redisUrl: REDIS_URL,
      prefix,
      logger,
      http: { port: 0, host: '127.0.0.1' },
    });
    worker.worker.on('completed', (_job, report) => {
      if ('runId' in report) rounds.push(report);
    });
    await worker.queue.add('sync', { pair: 'sf-hs', connections: ['sf', 'hs'], trigger: 'manual' });
    await until(() => rounds.length > 0, 60_000, 'the worker’s round');
    runId = rounds[0]?.runId ?? '';
    Object.assign(process.env, { DATABASE_URL: jobs.databaseUrl });
  }, 120_000);
  afterAll(async () => {
    process.env = saved;
    await worker?.stop();
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([once?.close(), jobs?.close(), dropPrefix(prefix)]);
  });

  const figuresOf = async (id: string): Promise<RoundFigures | undefined> => {
    const json = captureOutput();
    expect(await main(['node', 'crm-bridge', 'status', '--run', id, '--json'], json)).toBe(0);
    return (JSON.parse(json.stdout) as { summary?: { report?: RoundFigures } }).summary?.report;
  };

  it('keeps the figures sync --once keeps for the same people: per object, the funnel, the API minimum', async () => {
    const figures = await figuresOf(runId);
    expect(figures, lines.join('')).toBeDefined();
    if (figures === undefined) return;
    // The round did something of every kind the report counts.
    const sum = (pick: (o: RoundFigures['objects'][number]) => number) =>
      figures.objects.reduce((n, o) => n + pick(o), 0);
    expect(sum((o) => o.pulled)).toBeGreaterThan(0);
    expect(sum((o) => o.created)).toBeGreaterThan(0);
    expect(sum((o) => o.converted)).toBeGreaterThan(0);
    // A first round writes to every record it reads (each gets its twin's fields), accounts and deals too: none is
    // unchanged. The round right after shows unchanged records (test/cli/round-report.integration.test.ts).
    expect(sum((o) => o.unchanged)).toBe(0);
    expect(sum((o) => o.updated)).toBe(sum((o) => o.pulled));
    expect(sum((o) => o.fieldIssues)).toBeGreaterThan(0);
    expect(sum((o) => o.held)).toBeGreaterThan(0);
    expect(figures.funnel.disagreements.both).toBeGreaterThan(0);
    // The same as the round in one process, but for what depends on the run: its id, time and calls made.
    expect(figures.runId).toBe(runId);
    expect(figures.durationMs).toBeGreaterThan(0);
    expect(figures.objects).toEqual(expected.objects);
    expect(figures.funnel).toEqual(expected.funnel);
    const withoutCalls = (api: RoundFigures['api']) => api.map(({ calls: _, ...rest }) => rest);
    expect(withoutCalls(figures.api)).toEqual(withoutCalls(expected.api));
    for (const a of figures.api) expect(a.calls ?? 0).toBeGreaterThanOrEqual(a.minimum);
  });

  it('shows it with status --run as text and as a page', async () => {
    const text = captureOutput();
    expect(await main(['node', 'crm-bridge', 'status', '--run', runId], text)).toBe(0);
    expect(text.stdout).toContain(`round ${runId} sf-hs succeeded`);
    expect(text.stdout).not.toContain('logged without report figures');
    expect(text.stdout).toContain('people the two CRMs disagreed on (different stage):');
    const html = join(dir, 'round.html');
    const page = captureOutput();
    expect(await main(['node', 'crm-bridge', 'status', '--run', runId, '--html', html], page)).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('<svg id="funnel-chart"');
  });

  it('leaves none of the report’s parts behind with the round’s state', async () => {
    expect(await jobs.store.roundState(runId, '')).toEqual([]);
    for (const table of ['report_runs', 'report_before', 'report_records'])
      expect(await jobs.database.query(`select run_id from ${table}`)).toEqual([]);
  });
});
