import { ConnectorFailure } from '../src/connector/errors.ts';
import { runSync } from '../src/sync/run-sync.ts';
import type { Output } from './output.ts';
import { withRuntime } from './runtime.ts';
import { formatSyncReport } from './sync-report.ts';

export interface SyncOptions {
  readonly config?: string;
  readonly once?: boolean;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** Runs one sync round in this process (no workers needed); `--dry-run` prints the plan and writes nothing. */
export async function syncCommand(options: SyncOptions, output: Output): Promise<number> {
  if (!options.once) {
    output.err('crm-bridge sync runs one round: pass --once (the scheduled service is crm-bridge worker)');
    return 2;
  }
  return withRuntime(options.config, output, async ({ ctx }) => {
    try {
      const report = await runSync(ctx, { dryRun: options.dryRun === true });
      output.out(options.json ? JSON.stringify(report, null, 2) : formatSyncReport(report));
      const quarantined = Object.values(report.entities).reduce((n, r) => n + r.quarantined, 0);
      if (quarantined > 0 && !options.json)
        output.err(`${quarantined} records quarantined: see crm-bridge quarantine`);
      const skipped = Object.entries(report.entities).filter(([, r]) => r.skipped);
      if (skipped.length > 0 && !options.json)
        output.err(
          `${skipped.map(([e]) => e).join(', ')} skipped: fix the config problems listed, or run crm-bridge check`,
        );
      return skipped.length > 0 ? 1 : 0;
    } catch (error) {
      if (!(error instanceof ConnectorFailure)) throw error;
      output.err(`sync round stopped (${error.kind}${error.code ? ` ${error.code}` : ''}): ${error.message}`);
      output.err('nothing was lost: the next round starts again from the last committed cursors');
      return 1;
    }
  });
}
