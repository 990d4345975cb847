import type { SyncReport } from '../src/sync/run-sync.ts';

const counts = (byTarget: Readonly<Record<string, number>>) =>
  Object.entries(byTarget)
    .map(([target, n]) => `${n} ${target}`)
    .join(', ') || 'none';

const shown = (value: unknown) =>
  value === undefined || value === null || value === '' ? '∅' : JSON.stringify(value);

/** The report an operator reads after `crm-bridge sync --once` (and, with samples, after `--dry-run`). */
export function formatSyncReport(report: SyncReport): string {
  const calls = Object.entries(report.apiCalls)
    .map(([connection, n]) => `${connection} ${n}`)
    .join(', ');
  const lines = [
    `${report.dryRun ? 'dry run (nothing written)' : 'sync round'} ${report.runId} in ${report.durationMs} ms${calls ? `, API calls: ${calls}` : ''}`,
  ];
  const problems = [...new Set(Object.values(report.entities).flatMap((r) => r.problems ?? []))];
  if (problems.length > 0)
    lines.push(`the config and the CRMs disagree (${problems.length}):`, ...problems.map((p) => `  ${p}`));
  for (const [entity, r] of Object.entries(report.entities)) {
    if (r.skipped) {
      lines.push(`${entity}: skipped until the problems above are fixed (nothing read or written)`);
      continue;
    }
    const read = Object.values(r.read).reduce((a, b) => a + b, 0);
    lines.push(
      `${entity}: read ${read}, changed ${r.changed}, unchanged echoes ${r.echoes}`,
      `  ${report.dryRun ? 'would create' : 'created'}: ${counts(r.creates)}`,
      `  ${report.dryRun ? 'would update' : 'updated'}: ${counts(r.updates)}`,
      `  conversions: ${r.conversions}, conflicts resolved by rule: ${r.conflicts}, quarantined: ${r.quarantined}`,
    );
    const d = r.deletes;
    if (d.unlinked + d.propagated + d.merged > 0) {
      lines.push(
        `  deletes: ${d.unlinked} unlinked (twin kept), ${d.propagated} twins deleted, ${d.merged} merges followed`,
      );
    }
    if (report.dryRun) {
      for (const sample of r.samples) {
        const diff = Object.entries(sample.diff)
          .slice(0, 6)
          .map(([field, d]) => `${field} ${shown(d.from)} → ${shown(d.to)}`)
          .join('; ');
        lines.push(
          `  e.g. ${sample.create ? 'create' : 'update'} ${sample.connection} ${sample.object}: ${diff}`,
        );
      }
    }
  }
  return lines.join('\n');
}
