import { DEFAULT_PIPELINE, type PipedriveObject } from '../../connectors/pipedrive/standard-fields.ts';
import type { Handler, SandboxRequest } from '../kit/index.ts';
import { v2Json } from './record-json.ts';
import { search } from './search.ts';
import type { PipedriveStore, StoredRecord } from './store.ts';
import { bodyOf, decodeCursor, encodeCursor, invalid, limitOf, notFound, ok, parseTime } from './wire.ts';

/** Registers one route under an endpoint name (the key its calls are counted under). */
export type Register = (method: string, path: string, endpoint: string, handler: Handler) => void;

type V2Object = Exclude<PipedriveObject, 'leads'>;
const SINGULAR: Readonly<Record<V2Object, string>> = {
  persons: 'Person',
  organizations: 'Organization',
  deals: 'Deal',
};
/**
 * The sort key of a record under `sort_by`: update and add times count to the second, as Pipedrive keeps them.
 * Records of one second follow in id order, or, with `scrambleTies`, in an order unrelated to their ids (Pipedrive
 * promises none), still the same from one request to the next so that cursors hold.
 */
function sortKey(record: StoredRecord, sortBy: string, scrambleTies: boolean): [number, number] {
  const id = Number(record.id);
  const tie = scrambleTies ? Math.imul(id, 2654435761) >>> 0 : id;
  if (sortBy === 'update_time') return [Math.floor(record.updateTime / 1000), tie];
  if (sortBy === 'add_time') return [Math.floor(record.addTime / 1000), tie];
  return [id, 0];
}

const compare = (a: readonly number[], b: readonly number[]) =>
  (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0);

/** The v2 endpoints of persons, organizations and deals; pipelines and stages; lead conversion. */
export function v2Routes(register: Register, store: PipedriveStore): void {
  for (const object of ['persons', 'organizations', 'deals'] as const) {
    const base = `/api/v2/${object}`;
    const missing = (id: string) => notFound(`${SINGULAR[object]} with id ${id}`);

    register('GET', base, `GET ${base}`, (req) => list(store, object, req));

    register('GET', `${base}/search`, `GET ${base}/search`, (req) => search(store, object, req));

    register('GET', `${base}/:id`, `GET ${base}/:id`, (req) => {
      const record = store.get(object, req.params.id);
      return record ? ok(v2Json(record, store.schema)) : missing(req.params.id ?? '');
    });

    register('POST', base, `POST ${base}`, (req) => {
      const created = store.create(object, bodyOf(req.json));
      return typeof created === 'string' ? invalid(created) : ok(v2Json(created, store.schema));
    });

    register('PATCH', `${base}/:id`, `PATCH ${base}/:id`, (req) => {
      const updated = store.update(object, req.params.id ?? '', bodyOf(req.json));
      if (updated === undefined) return missing(req.params.id ?? '');
      return typeof updated === 'string' ? invalid(updated) : ok(v2Json(updated, store.schema));
    });

    register('DELETE', `${base}/:id`, `DELETE ${base}/:id`, (req) => {
      const id = req.params.id ?? '';
      return store.delete(object, id) ? ok({ id: Number(id) }) : missing(id);
    });
  }

  register('GET', '/api/v2/leads/search', 'GET /api/v2/leads/search', (req) => search(store, 'leads', req));

  register('GET', '/api/v2/pipelines', 'GET /api/v2/pipelines', () =>
    ok(
      [
        {
          id: DEFAULT_PIPELINE.id,
          name: DEFAULT_PIPELINE.name,
          order_nr: 1,
          is_deleted: false,
          is_deal_probability_enabled: false,
        },
      ],
      { next_cursor: null },
    ),
  );

  register('GET', '/api/v2/stages', 'GET /api/v2/stages', (req) => {
    const pipeline = req.url.searchParams.get('pipeline_id');
    const stages = DEFAULT_PIPELINE.stages
      .filter(() => pipeline === null || Number(pipeline) === DEFAULT_PIPELINE.id)
      .map((s, i) => ({
        ...s,
        pipeline_id: DEFAULT_PIPELINE.id,
        order_nr: i + 1,
        is_deleted: false,
        is_deal_rot_enabled: false,
      }));
    return ok(stages, { next_cursor: null });
  });

  register('POST', '/api/v2/leads/:id/convert/deal', 'POST /api/v2/leads/:id/convert/deal', (req) => {
    const body = bodyOf(req.json);
    if (body.stage_id !== undefined && !store.refs.stage(body.stage_id)) {
      return invalid(`stage_id: Stage with ID ${JSON.stringify(body.stage_id)} not found`);
    }
    const job = store.convert(req.params.id ?? '', body.stage_id as number | undefined);
    return job ? ok({ conversion_id: job.conversionId }) : notFound(`Lead with id ${req.params.id}`);
  });

  register(
    'GET',
    '/api/v2/leads/:id/convert/status/:conversion',
    'GET /api/v2/leads/:id/convert/status',
    (req) => {
      const job = store.conversion(req.params.conversion ?? '');
      if (!job || job.leadId !== req.params.id) return notFound(`Conversion ${req.params.conversion}`);
      const done = store.now() >= job.doneAt;
      return ok({
        conversion_id: job.conversionId,
        lead_id: job.leadId,
        status: done ? 'completed' : 'running',
        ...(done ? { deal_id: job.dealId } : {}),
      });
    },
  );
}

/**
 * `GET /api/v2/:object`: live records (deals: `status=deleted` lists the deleted ones) filtered by
 * `updated_since` / `updated_until` (inclusive, to the second), sorted by `sort_by` then id, paged by an opaque
 * cursor naming the next page's first item, so that records changing meanwhile never shift a page.
 */
function list(store: PipedriveStore, object: V2Object, req: SandboxRequest) {
  const q = req.url.searchParams;
  const limit = limitOf(req);
  if (typeof limit === 'string') return invalid(limit);
  const sortBy = q.get('sort_by') ?? 'id';
  if (!['id', 'update_time', 'add_time'].includes(sortBy))
    return invalid(`sort_by: must be one of id, update_time, add_time`);
  const direction = q.get('sort_direction') ?? 'asc';
  if (direction !== 'asc' && direction !== 'desc') return invalid('sort_direction: must be asc or desc');
  const since = q.get('updated_since');
  const until = q.get('updated_until');
  const sinceMs = since === null ? undefined : parseTime(since);
  const untilMs = until === null ? undefined : parseTime(until);
  if (since !== null && sinceMs === undefined)
    return invalid(`updated_since: must be an RFC 3339 date-time; got ${since}`);
  if (until !== null && untilMs === undefined)
    return invalid(`updated_until: must be an RFC 3339 date-time; got ${until}`);
  const deleted = object === 'deals' && q.get('status') === 'deleted';
  const status = object === 'deals' && !deleted ? q.get('status') : null;
  const ids = q
    .get('ids')
    ?.split(',')
    .map((s) => s.trim());
  // Filters by a linked record or owner: `org_id` (persons, deals), `person_id`, `pipeline_id`, `stage_id`.
  const links = ['owner_id', 'org_id', 'person_id', 'pipeline_id', 'stage_id']
    .map((member) => [member, q.get(member)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== null);
  const customKeys = q
    .get('custom_fields')
    ?.split(',')
    .filter((k) => k !== '');
  const include = q.get('include_fields')?.split(',') ?? [];
  let cursorKey: number[] | undefined;
  const cursor = q.get('cursor');
  if (cursor !== null) {
    const key = decodeCursor(cursor);
    if (key?.length !== 2) return invalid('cursor: Invalid cursor');
    cursorKey = key.map(Number);
  }
  const second = (ms: number) => Math.floor(ms / 1000) * 1000;
  const sign = direction === 'asc' ? 1 : -1;
  const rows = store
    .all(object)
    .filter((r) => (deleted ? r.deletedAt !== undefined : r.deletedAt === undefined))
    .filter((r) => status === null || r.values.status === status)
    .filter((r) => !ids || ids.includes(String(r.id)))
    .filter((r) => links.every(([member, value]) => String(r.values[member]) === value))
    .filter((r) => sinceMs === undefined || second(r.updateTime) >= second(sinceMs))
    .filter((r) => untilMs === undefined || second(r.updateTime) < second(untilMs))
    .map((r) => ({ r, key: sortKey(r, sortBy, store.scrambleTies) }))
    .sort((a, b) => sign * compare(a.key, b.key))
    .filter(({ key }) => !cursorKey || sign * compare(key, cursorKey) >= 0);
  const page = rows.slice(0, limit);
  const next = rows[limit];
  return ok(
    page.map(({ r }) => v2Json(r, store.schema, { ...(customKeys ? { customKeys } : {}), include })),
    { next_cursor: next ? encodeCursor(next.key) : null },
  );
}
