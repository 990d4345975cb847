import { readEnv } from '../env.ts';
import { openStore, type QuarantineEntry } from '../store/index.ts';
import type { Output } from './output.ts';

export interface QuarantineOptions {
  readonly all?: boolean;
  readonly json?: boolean;
  readonly limit?: string;
}

/** Lists the records set aside with their reasons (`--all` includes the resolved ones). */
export async function quarantineCommand(options: QuarantineOptions, output: Output): Promise<number> {
  const limit = options.limit === undefined ? 1000 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    output.err(`--limit expects a positive integer; got "${options.limit}"`);
    return 2;
  }
  const store = await openStore(readEnv().DATABASE_URL);
  try {
    const entries = await store.listQuarantine({ includeResolved: options.all === true, limit });
    if (options.json) output.out(JSON.stringify(entries, null, 2));
    else output.out(formatQuarantine(entries));
    return 0;
  } finally {
    await store.close();
  }
}

/** One line per entry, the columns an admin needs to find the record and fix it. */
export function formatQuarantine(entries: readonly QuarantineEntry[]): string {
  if (entries.length === 0) return 'quarantine is empty';
  const lines = entries.map((e) => {
    const value = e.value === undefined ? '' : ` = ${JSON.stringify(e.value)}`;
    const reason = e.reason.replace(/\s*\n\s*/g, ' ');
    const state = e.resolvedAt ? ` (resolved ${e.resolvedAt})` : '';
    return `#${e.id} ${e.entity} ${e.connection} ${e.object} ${e.externalId} ${e.field}${value}: ${reason} [${e.attempts}×, last ${e.lastSeen}]${state}`;
  });
  return `${lines.join('\n')}\n${entries.length} quarantined ${entries.length === 1 ? 'record' : 'records'}`;
}
