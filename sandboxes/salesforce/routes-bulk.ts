import type { SandboxResponse } from '../kit/index.ts';
import { restError, type SandboxContext } from './context.ts';
import { runQuery } from './soql-eval.ts';
import { SoqlError } from './soql-lexer.ts';
import { parseSoql } from './soql-parser.ts';
import type { StoredRecord } from './store.ts';

interface QueryJob {
  readonly id: string;
  readonly operation: string;
  readonly object: string;
  readonly fields: readonly string[];
  readonly records: readonly StoredRecord[];
  polls: number;
}

/** Rows per result page when the client does not say (Salesforce picks its own; clients must follow the locator). */
const DEFAULT_MAX_RECORDS = 50_000;

/**
 * Bulk API 2.0 query jobs: create, poll (InProgress once, then JobComplete) and CSV result pages chained by the
 * `Sforce-Locator` header ("null" on the last page).
 */
export function bulkRoutes(ctx: SandboxContext): void {
  const jobs = new Map<string, QueryJob>();
  let sequence = 0;
  ctx.route('POST', '/services/data/:version/jobs/query', 'bulk:create', (request) => {
    const body = request.json as { operation?: string; query?: string } | undefined;
    const operation = body?.operation ?? 'query';
    if (!body?.query || (operation !== 'query' && operation !== 'queryAll')) {
      return restError(400, 'INVALIDJOB', 'expected { operation: "query" | "queryAll", query }');
    }
    try {
      const match = runQuery(ctx.store, parseSoql(body.query), operation === 'queryAll');
      if (match.count)
        return restError(400, 'INVALIDJOB', 'Aggregate queries are not supported by Bulk API 2.0');
      const id = `750${String(++sequence).padStart(12, '0')}AAA`;
      jobs.set(id, {
        id,
        operation,
        object: match.object,
        fields: match.fields,
        records: match.records,
        polls: 0,
      });
      return { status: 200, body: info(jobs.get(id) as QueryJob, 'UploadComplete') };
    } catch (error) {
      if (error instanceof SoqlError) return restError(400, error.code, error.message);
      throw error;
    }
  });
  ctx.route('GET', '/services/data/:version/jobs/query/:id', 'bulk:status', (request) => {
    const job = jobs.get(request.params.id ?? '');
    if (!job) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
    job.polls++;
    return { status: 200, body: info(job, job.polls > 1 ? 'JobComplete' : 'InProgress') };
  });
  ctx.route('GET', '/services/data/:version/jobs/query/:id/results', 'bulk:results', (request) => {
    const job = jobs.get(request.params.id ?? '');
    if (!job) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const start = Number(request.url.searchParams.get('locator') ?? '0');
    const max = Number(request.url.searchParams.get('maxRecords') ?? DEFAULT_MAX_RECORDS);
    if (!Number.isInteger(start) || start < 0 || !Number.isInteger(max) || max < 1) {
      return restError(400, 'INVALIDLOCATOR', 'invalid locator or maxRecords');
    }
    const rows = job.records.slice(start, start + max);
    const end = start + rows.length;
    return csvPage(job.fields, rows, end < job.records.length ? String(end) : 'null');
  });
}

function info(job: QueryJob, state: string): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: state === 'JobComplete' ? job.records.length : 0,
  };
}

function csvPage(fields: readonly string[], rows: readonly StoredRecord[], locator: string): SandboxResponse {
  const lines = [fields.map(quote).join(',')];
  for (const row of rows) lines.push(fields.map((f) => cell(row[f])).join(','));
  return {
    status: 200,
    contentType: 'text/csv',
    body: `${lines.join('\n')}\n`,
    headers: { 'Sforce-Locator': locator, 'Sforce-NumberOfRecords': String(rows.length) },
  };
}

/** Bulk CSV: empty for null, everything else quoted with doubled quotes. */
function cell(value: unknown): string {
  return value === null || value === undefined ? '' : quote(String(value));
}

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
