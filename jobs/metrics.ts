import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Connector } from '../src/connector/types.ts';
import type { QuarantineStore } from '../src/store/index.ts';
import type { SyncReport } from '../src/sync/run-sync.ts';

/** What `/metrics` shows. One registry per worker, so several workers in one process (tests) keep apart. */
export interface WorkerMetrics {
  readonly registry: Registry;
  /** Counts a finished job and observes its duration. */
  jobFinished(queue: string, outcome: 'completed' | 'failed', seconds: number, kind?: string): void;
  /** Keeps the last round's per-entity counts and adds its API calls. */
  lastRun(report: SyncReport): void;
}

/**
 * Prometheus metrics of a worker. Quarantine size and API budgets are read when scraped (from the store and the
 * connectors' `usage()`), so they are current, not as of the last round.
 */
export function workerMetrics(
  store: QuarantineStore,
  connectors: Readonly<Record<string, Connector>>,
): WorkerMetrics {
  const registry = new Registry();
  const completed = new Counter({
    name: 'crm_bridge_jobs_completed_total',
    help: 'Jobs completed, by queue.',
    labelNames: ['queue'],
    registers: [registry],
  });
  const failed = new Counter({
    name: 'crm_bridge_jobs_failed_total',
    help: 'Job attempts that failed, by queue and error kind.',
    labelNames: ['queue', 'kind'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'crm_bridge_job_duration_seconds',
    help: 'How long a job ran, by queue.',
    labelNames: ['queue'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const calls = new Counter({
    name: 'crm_bridge_api_calls_total',
    help: 'API calls made by sync rounds, retries included, by connection and system.',
    labelNames: ['connection', 'system'],
    registers: [registry],
  });
  const records = new Gauge({
    name: 'crm_bridge_last_run_records',
    help: "The last sync round's records by entity and outcome (created, updated, quarantined).",
    labelNames: ['entity', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'crm_bridge_quarantine_size',
    help: 'Quarantined records not yet resolved.',
    registers: [registry],
    async collect() {
      this.set(await store.countQuarantine());
    },
  });
  const usage = (help: string, name: string, value: (u: { used: number; limit: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['connection', 'system'],
      registers: [registry],
      collect() {
        for (const [connection, connector] of Object.entries(connectors)) {
          const u = connector.usage?.();
          if (u !== undefined) this.set({ connection, system: connector.system }, value(u));
        }
      },
    });
  usage(
    'API calls used in the current budget period, as the provider reports.',
    'crm_bridge_api_calls_used',
    (u) => u.used,
  );
  usage('API calls left in the current budget period.', 'crm_bridge_api_budget_remaining', (u) =>
    Math.max(0, u.limit - u.used),
  );
  return {
    registry,
    jobFinished(queue, outcome, seconds, kind = 'internal') {
      if (outcome === 'completed') completed.inc({ queue });
      else failed.inc({ queue, kind });
      duration.observe({ queue }, seconds);
    },
    lastRun(report) {
      for (const [connection, n] of Object.entries(report.apiCalls))
        calls.inc({ connection, system: connectors[connection]?.system ?? 'unknown' }, n);
      records.reset();
      for (const [entity, r] of Object.entries(report.entities)) {
        const sum = (counts: Readonly<Record<string, number>>) =>
          Object.values(counts).reduce((a, b) => a + b, 0);
        records.set({ entity, outcome: 'created' }, sum(r.creates));
        records.set({ entity, outcome: 'updated' }, sum(r.updates));
        records.set({ entity, outcome: 'quarantined' }, r.quarantined);
      }
    },
  };
}
