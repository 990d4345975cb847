import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { DescribeField } from './salesforce-client.ts';
import type { Described } from './salesforce-describe.ts';
import { sleep } from './salesforce-retry.ts';
import type { Session } from './salesforce-session.ts';

export interface BulkTuning {
  /** Rows per result page (Bulk API 2.0 `maxRecords`). */
  readonly pageSize: number;
  /** Give up waiting for the job after this long, in ms. */
  readonly timeoutMs: number;
  /** First delay between status polls, in ms; it grows by half each time, up to 10 s. */
  readonly pollMs: number;
}

const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long']);

/**
 * Runs a Bulk API 2.0 query and yields its CSV result pages one at a time (each fetched only when the consumer asks),
 * with values typed back as the REST API returns them, so that consumers cannot tell the two paths apart.
 */
export async function* bulkQueryPages(
  session: Session,
  described: Described,
  soql: string,
  tuning: BulkTuning,
): AsyncGenerator<Record<string, unknown>[]> {
  const id = await session.call((c) => c.bulkQuery(soql, { scanAll: false }));
  const deadline = Date.now() + tuning.timeoutMs;
  for (let delay = tuning.pollMs; ; delay = Math.min(10_000, delay * 1.5)) {
    const job = await session.call((c) => c.bulkJob(id));
    if (job.state === 'JobComplete') break;
    if (job.state === 'Failed' || job.state === 'Aborted') {
      throw new ConnectorFailure({
        kind: 'unavailable',
        code: 'BULK_QUERY_FAILED',
        message: `Bulk API 2.0 query job ${id} ended ${job.state}${job.errorMessage ? `: ${job.errorMessage}` : ''}`,
      });
    }
    if (Date.now() > deadline) {
      throw new ConnectorFailure({
        kind: 'unavailable',
        code: 'BULK_QUERY_TIMEOUT',
        message: `Bulk API 2.0 query job ${id} did not complete within ${Math.round(tuning.timeoutMs / 1000)} s`,
      });
    }
    await sleep(delay);
  }
  let locator: string | undefined;
  do {
    const from = locator;
    const page = await session.call((c) => c.bulkResults(id, from, tuning.pageSize));
    yield page.records.map((row) => typed(described, row));
    locator = page.locator;
  } while (locator !== undefined);
}

/** CSV strings back to JSON values by describe type: '' is null, booleans and numbers are parsed. */
function typed(described: Described, row: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(row)) {
    const field: DescribeField | undefined = described.field(name);
    const key = field?.name ?? name;
    if (text === '') out[key] = null;
    else if (field?.type === 'boolean') out[key] = text === 'true';
    else if (field && NUMERIC.has(field.type)) out[key] = Number(text);
    else out[key] = text;
  }
  return out;
}
