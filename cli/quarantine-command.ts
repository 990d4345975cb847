import { readEnv } from '../src/env.ts';
import { openStore, type QuarantineEntry } from '../src/store/index.ts';
import { sortQuarantine } from '../src/store/quarantine-groups.ts';
import { countOption, type Output } from './output.ts';

export interface QuarantineOptions {
  readonly all?: boolean;
  readonly json?: boolean;
  readonly limit?: string;
}

/** Lists the records set aside with their reasons (`--all` includes the resolved ones). */
export async function quarantineCommand(options: QuarantineOptions, output: Output): Promise<number> {
  const limit = countOption('limit', options.limit, 1000, output);
  if (limit === undefined) return 2;
  const store = await openStore(readEnv().DATABASE_URL);
  try {
    const entries = await store.listQuarantine({ includeResolved: options.all === true, limit });
    if (options.json) output.out(JSON.stringify(sortQuarantine(entries), null, 2));
    else output.out(formatQuarantine(entries));
    return 0;
  } finally {
    await store.close();
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Held records and refused writes one line each, with the columns an admin needs to find the record; field issues
 * one line per field and value, with how many records have it.
 */
export function formatQuarantine(entries: readonly QuarantineEntry[]): string {
  if (entries.length === 0) return 'quarantine is empty';
  const { held, refused, fieldIssues } = sortQuarantine(entries);
  const line = (e: QuarantineEntry) => {
    const value = e.value === undefined ? '' : ` = ${JSON.stringify(e.value)}`;
    const reason = e.reason.replace(/\s*\n\s*/g, ' ');
    const state = e.resolvedAt ? ` (resolved ${e.resolvedAt})` : '';
    return `#${e.id} ${e.entity} ${e.connection} ${e.object} ${e.externalId} ${e.field}${value}: ${reason} [${e.attempts}×, last ${e.lastSeen}]${state}`;
  };
  const out: string[] = [];
  if (held.length > 0)
    out.push(
      'Held records: not synced until the cause is fixed (then `crm-bridge replay --record <#>`)',
      ...held.map(line),
    );
  if (refused.length > 0)
    out.push('Refused writes: tried again when the record next changes', ...refused.map(line));
  if (fieldIssues.length > 0) {
    out.push('Field issues: these records synced without the field named');
    for (const g of fieldIssues) {
      const ids =
        g.ids
          .slice(0, 5)
          .map((id) => `#${id}`)
          .join(' ') + (g.ids.length > 5 ? ' …' : '');
      const value = g.value === undefined ? '' : ` = ${JSON.stringify(g.value)}`;
      out.push(
        `${g.entity} ${g.connection} ${g.object} ${g.field}${value}: ${plural(g.count, 'record')} (${ids}): ${g.reason.replace(/\s*\n\s*/g, ' ')}`,
      );
    }
  }
  const fieldCount = fieldIssues.reduce((n, g) => n + g.count, 0);
  out.push(
    [
      plural(held.length, 'held record'),
      plural(refused.length, 'refused write'),
      `${plural(fieldCount, 'field issue')} in ${plural(fieldIssues.length, 'group')}`,
    ].join(', '),
  );
  return out.join('\n');
}
