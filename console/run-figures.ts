import type { RunRecord } from '../src/store/index.ts';

/** What one round did, as the health page counts it. */
export interface RunFigures {
  readonly id: string;
  /** The sync pair it ran (`sf-hs`). */
  readonly pair: string;
  readonly startedAt: string;
  readonly status: RunRecord['status'];
  readonly durationMs: number | undefined;
  /** Records created plus records updated, in both CRMs. */
  readonly written: number;
  readonly created: number;
  readonly updated: number;
  /** Records and fields set aside (held, refused, field issues). */
  readonly quarantined: number;
  readonly conversions: number;
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly errors: Readonly<Record<string, number>>;
}

/** A round's figures from its run-log summary (`person.created.hs`, `account.quarantined`, …). */
export function runFigures(run: RunRecord): RunFigures {
  let created = 0;
  let updated = 0;
  let quarantined = 0;
  let conversions = 0;
  for (const [key, n] of Object.entries(run.summary?.counts ?? {})) {
    const [, outcome] = key.split('.');
    if (outcome === 'created') created += n;
    else if (outcome === 'updated') updated += n;
    else if (outcome === 'quarantined') quarantined += n;
    else if (outcome === 'conversions') conversions += n;
  }
  return {
    id: run.id,
    pair: run.pair,
    startedAt: run.startedAt,
    status: run.status,
    durationMs: run.summary?.durationMs,
    written: created + updated,
    created,
    updated,
    quarantined,
    conversions,
    apiCalls: run.summary?.apiCalls ?? {},
    errors: run.summary?.errors ?? {},
  };
}
