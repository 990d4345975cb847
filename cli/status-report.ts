import type { Status } from '../jobs/status.ts';
import type { RunRecord } from '../src/store/index.ts';
import { formatRoundFigures } from './report-text.ts';

/** `900000` → `15m`: the way the config writes a schedule. */
export function formatEvery(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

const listed = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .filter(([, n]) => n !== 0)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ') || 'none';

/** The status an operator reads: one line per queue, schedule, dead letter and run. */
export function formatStatus(status: Status): string {
  const lines: string[] = [];
  for (const [name, c] of Object.entries(status.queues))
    lines.push(
      `queue ${name}: ${c.waiting} waiting, ${c.active} active, ${c.delayed} delayed, ${c.failed} failed, ${c.completed} completed`,
    );
  if (status.schedules.length === 0) lines.push('schedules: none (start crm-bridge worker to register them)');
  for (const s of status.schedules) {
    const when =
      s.every !== undefined ? `every ${formatEvery(s.every)}` : `cron ${s.cron}${s.tz ? ` (${s.tz})` : ''}`;
    lines.push(`schedule ${s.id}: ${when}, next ${s.next ?? 'not planned'}`);
  }
  if (status.rounds.length === 0) lines.push('rounds under way: none');
  for (const r of status.rounds)
    lines.push(
      `round ${r.runId ?? r.jobId} of ${r.pair ?? 'an unknown pair'}: ${r.entity === undefined ? r.step : `entity ${r.entity + 1} of the round order, step ${r.step}`}${r.startedAt ? `, since ${r.startedAt}` : ''}, ${r.step === 'slices' || r.step === 'recorded' ? 'slice steps' : 'push batches'} ${r.batches.done} of ${r.batches.total} done, its own API calls ${listed(r.calls)}`,
    );
  lines.push(
    `dead letters: ${status.deadLetters.length}${status.deadLetters.length > 0 ? ' (crm-bridge replay --job <id> or --all)' : ''}`,
  );
  for (const d of status.deadLetters)
    lines.push(
      `  ${d.id} ${d.pair ?? '?'} failed ${d.failedAt ?? '?'} after ${d.attempts} attempts: ${d.reason}${d.queue === 'sync' ? '' : ` (a ${d.queue} batch: its records are quarantined; replay them with --record)`}`,
    );
  lines.push(status.runs.length === 0 ? 'last runs: none' : `last runs (newest first):`);
  for (const r of status.runs) {
    const calls =
      r.summary && Object.keys(r.summary.apiCalls).length > 0
        ? `, api calls ${listed(r.summary.apiCalls)}`
        : '';
    const took = r.summary ? ` in ${r.summary.durationMs} ms${calls}` : '';
    lines.push(`  ${r.startedAt} ${r.pair} ${r.status}${took}: ${listed(r.summary?.counts ?? {})}`);
    if (r.summary && Object.keys(r.summary.errors).length > 0)
      lines.push(`    errors: ${listed(r.summary.errors)}`);
  }
  lines.push(`errors by type: ${listed(status.errors)}`);
  for (const [connection, b] of Object.entries(status.budgets))
    lines.push(
      `api budget ${connection} (${b.system}): ${b.limit - b.used} of ${b.limit} calls left, as of ${b.at}`,
    );
  lines.push(
    `quarantine: ${status.quarantine.open} open ${status.quarantine.open === 1 ? 'record' : 'records'}${status.quarantine.open > 0 ? ' (crm-bridge quarantine; crm-bridge replay --record <id> or --all)' : ''}`,
  );
  return lines.join('\n');
}

/** One round as the run log keeps it: how it ended, then its report (or, for a round logged without one, its counts). */
export function formatRun(run: RunRecord): string {
  const lines = [
    `round ${run.id} ${run.pair} ${run.status}, started ${run.startedAt}${run.finishedAt ? `, ended ${run.finishedAt}` : ''}`,
  ];
  const s = run.summary;
  if (s === undefined) return [...lines, 'no summary yet: the round has not ended'].join('\n');
  if (Object.keys(s.errors).length > 0) lines.push(`errors: ${listed(s.errors)}`);
  if (s.report !== undefined) return [...lines, formatRoundFigures(s.report)].join('\n');
  lines.push(
    `counts: ${listed(s.counts)}`,
    `API calls: ${listed(s.apiCalls)}`,
    `duration: ${s.durationMs} ms`,
    'this round was logged without report figures (by an older version, or run by the worker): counts only',
  );
  return lines.join('\n');
}
