import { ConnectorFailure } from '../src/connector/errors.ts';
import { RoundInterrupted } from '../src/sync/interrupted.ts';
import { type EntityReport, runSync } from '../src/sync/run-sync.ts';
import { errorStyle, reportFailure } from './errors.ts';
import type { Output } from './output.ts';
import { roundProgress } from './progress.ts';
import { runWithReport, writeReportHtml } from './report-round.ts';
import { formatRoundFigures } from './report-text.ts';
import { withRuntime } from './runtime.ts';
import { formatSyncReport } from './sync-report.ts';

export interface SyncOptions {
  readonly config?: string;
  readonly once?: boolean;
  readonly dryRun?: boolean;
  readonly json?: boolean;
  /** Exit 0 even when records were held or writes refused (for cron jobs that accept it). */
  readonly allowHeld?: boolean;
  /** Also write the round report as a self-contained HTML page to this file. */
  readonly html?: string;
}

/** Runs one sync round in this process (no workers needed); `--dry-run` prints the plan and writes nothing. */
export async function syncCommand(options: SyncOptions, output: Output): Promise<number> {
  if (!options.once) {
    output.err('crm-bridge sync runs one round: pass --once (the scheduled service is crm-bridge worker)');
    return 2;
  }
  return withRuntime(options.config, output, async ({ ctx }) => {
    const stop = stopOnSignal(output);
    const progress = roundProgress(ctx, output);
    try {
      const dryRun = options.dryRun === true;
      const { report, figures } = await runWithReport(
        { ...ctx, onProgress: progress.onProgress },
        dryRun,
        (c) => runSync(c, { dryRun, signal: stop.signal }),
      );
      progress.stop();
      if (options.json) output.out(JSON.stringify(figures ? { ...report, figures } : report, null, 2));
      else
        output.out([formatSyncReport(report), ...(figures ? [formatRoundFigures(figures)] : [])].join('\n'));
      if (options.html !== undefined && figures !== undefined) await writeReportHtml(options.html, figures);
      if (options.html !== undefined && figures === undefined)
        output.err('--html: a dry run writes no round report (it saves nothing to report on)');
      const sum = (pick: (r: EntityReport) => number | undefined) =>
        Object.values(report.entities).reduce((n, r) => n + (pick(r) ?? 0), 0);
      const held = sum((r) => r.held);
      const refused = sum((r) => r.refused);
      const fieldIssues = sum((r) => r.fieldIssues);
      if (held + refused + fieldIssues > 0 && !options.json)
        output.err(
          `${held} records held, ${refused} writes refused, ${fieldIssues} field issues: see crm-bridge quarantine`,
        );
      const skipped = Object.entries(report.entities).filter(([, r]) => r.skipped);
      if (skipped.length > 0 && !options.json)
        output.err(
          `${skipped.map(([e]) => e).join(', ')} skipped: fix the config problems listed, or run crm-bridge check`,
        );
      // Exit 1 when something did not sync, so that cron can tell; field issues alone are a synced round.
      if (skipped.length > 0) return 1;
      return (held > 0 || refused > 0) && options.allowHeld !== true ? 1 : 0;
    } catch (error) {
      if (!(error instanceof ConnectorFailure || error instanceof RoundInterrupted)) throw error;
      const style = { ...errorStyle(process.argv), json: options.json === true };
      const code = reportFailure(error, style, output);
      if (error instanceof ConnectorFailure && !style.json)
        output.err('nothing was lost: the next round starts again from the last committed cursors');
      return code;
    } finally {
      progress.stop();
      stop.dispose();
    }
  });
}

/**
 * SIGINT and SIGTERM stop the round after the writes in flight, instead of killing it mid-write: the first says so
 * and aborts the returned signal; a second SIGINT ends the process at once (exit 130), as users expect of Ctrl-C.
 */
function stopOnSignal(output: Output): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      output.err(`${name} again: stopping now; the next round redoes this one`);
      process.exit(130);
    }
    output.err(`${name}: stopping after the writes in flight (Ctrl-C again to stop at once)`);
    controller.abort(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
