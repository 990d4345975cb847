import type { SandboxRequest, SandboxResponse } from '../kit/index.ts';
import { type QueryCursor, restError, type SandboxContext } from './context.ts';
import { runQuery } from './soql-eval.ts';
import { SoqlError } from './soql-lexer.ts';
import { parseSoql } from './soql-parser.ts';
import type { StoredRecord } from './store.ts';

const MIN_BATCH = 200;

/** query, queryAll and queryMore, paging through `nextRecordsUrl` as Salesforce does. */
export function queryRoutes(ctx: SandboxContext): void {
  let nextCursor = 0;
  const run = (request: SandboxRequest, includeDeleted: boolean): SandboxResponse => {
    const soql = request.url.searchParams.get('q');
    if (soql === null) return restError(400, 'MALFORMED_QUERY', 'missing the q parameter');
    try {
      const match = runQuery(ctx.store, parseSoql(soql), includeDeleted);
      if (match.count)
        return { status: 200, body: { totalSize: match.records.length, done: true, records: [] } };
      const cursor: QueryCursor = {
        object: match.object,
        fields: match.fields,
        records: match.records,
        pageSize: pageSize(ctx, request),
      };
      const id = `01g${String(++nextCursor).padStart(12, '0')}`;
      return page(ctx, request, id, cursor, 0);
    } catch (error) {
      if (error instanceof SoqlError) return restError(400, error.code, error.message);
      throw error;
    }
  };
  ctx.route('GET', '/services/data/:version/query', 'query', (req) => run(req, false));
  ctx.route('GET', '/services/data/:version/queryAll', 'queryAll', (req) => run(req, true));
  ctx.route('GET', '/services/data/:version/query/:locator', 'queryMore', (request) => {
    const [id = '', offset = ''] = (request.params.locator ?? '').split('-');
    const cursor = ctx.cursors.get(id);
    const start = Number(offset);
    if (!cursor || !Number.isInteger(start)) {
      return restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    return page(ctx, request, id, cursor, start);
  });
}

/** The batch size: the client's `Sforce-Query-Options: batchSize=N` (200..2000), capped by the sandbox's. */
function pageSize(ctx: SandboxContext, request: SandboxRequest): number {
  const header = request.headers['sforce-query-options'];
  const asked = typeof header === 'string' ? /batchSize=(\d+)/i.exec(header)?.[1] : undefined;
  const size = asked === undefined ? ctx.pageSize : Math.max(MIN_BATCH, Number(asked));
  return Math.min(size, ctx.pageSize);
}

function page(
  ctx: SandboxContext,
  request: SandboxRequest,
  id: string,
  cursor: QueryCursor,
  start: number,
): SandboxResponse {
  const end = Math.min(start + cursor.pageSize, cursor.records.length);
  const done = end >= cursor.records.length;
  if (done) ctx.cursors.delete(id);
  else ctx.cursors.set(id, cursor);
  const version = request.params.version ?? 'v62.0';
  const records = cursor.records.slice(start, end).map((r) => project(r, cursor, version));
  return {
    status: 200,
    body: {
      totalSize: cursor.records.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${id}-${end}` }),
      records,
    },
  };
}

function project(record: StoredRecord, cursor: QueryCursor, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: {
      type: cursor.object,
      url: `/services/data/${version}/sobjects/${cursor.object}/${record.Id}`,
    },
  };
  for (const field of cursor.fields) out[field] = record[field] ?? null;
  return out;
}
