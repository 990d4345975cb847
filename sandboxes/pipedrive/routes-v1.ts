import {
  FIELDS_ENDPOINT,
  LEAD_LABELS,
  type PipedriveObject,
} from '../../connectors/pipedrive/standard-fields.ts';
import type { SandboxRequest } from '../kit/index.ts';
import { leadJson, recentJson } from './record-json.ts';
import type { Register } from './routes-v2.ts';
import { CUSTOM_FIELD_TYPES, type FieldDef } from './schema.ts';
import type { PipedriveStore } from './store.ts';
import { bodyOf, fail, invalid, leadTime, limitOf, notFound, ok, parseTime, v1Time } from './wire.ts';

/** v1 paging: `start` and `limit`, reported in `additional_data.pagination`. */
function paged<T>(req: SandboxRequest, rows: readonly T[]) {
  const limit = limitOf(req);
  if (typeof limit === 'string') return { error: invalid(limit) };
  const start = Number(req.url.searchParams.get('start') ?? '0');
  if (!Number.isInteger(start) || start < 0)
    return { error: invalid('start: must be a non-negative integer') };
  const more = rows.length > start + limit;
  return {
    page: rows.slice(start, start + limit),
    pagination: {
      start,
      limit,
      more_items_in_collection: more,
      ...(more ? { next_start: start + limit } : {}),
    },
  };
}

function fieldJson(def: FieldDef, order: number): Record<string, unknown> {
  return {
    id: def.id,
    key: def.key,
    name: def.name,
    order_nr: order,
    field_type: def.field_type,
    add_time: v1Time(def.add_time),
    update_time: v1Time(def.add_time),
    active_flag: true,
    edit_flag: def.edit_flag,
    bulk_edit_allowed: def.edit_flag,
    mandatory_flag: def.mandatory_flag,
    ...(def.options ? { options: def.options } : {}),
  };
}

const RECENT_ITEMS: Readonly<Record<string, PipedriveObject>> = {
  person: 'persons',
  organization: 'organizations',
  deal: 'deals',
};

/** The v1 endpoints: leads (Pipedrive has no v2 for them), field definitions, lead labels, recents. */
export function v1Routes(register: Register, store: PipedriveStore): void {
  const lead = (id: string) => notFound(`Lead with id ${id}`);

  register('GET', '/api/v1/leads', 'GET /api/v1/leads', (req) => {
    const q = req.url.searchParams;
    const since = q.get('updated_since');
    const sinceMs = since === null ? undefined : parseTime(since);
    if (since !== null && sinceMs === undefined)
      return invalid(`updated_since: must be an ISO 8601 date-time; got ${since}`);
    const [sortField = 'id', sortWay = 'ASC'] = (q.get('sort') ?? 'id').split(' ');
    if (
      !['id', 'title', 'add_time', 'update_time'].includes(sortField) ||
      !['ASC', 'DESC'].includes(sortWay)
    ) {
      return invalid(`sort: unsupported sort ${q.get('sort')}`);
    }
    const sign = sortWay === 'ASC' ? 1 : -1;
    const key = (r: {
      id: number | string;
      values: Record<string, unknown>;
      addTime: number;
      updateTime: number;
    }) => (sortField === 'update_time' ? r.updateTime : sortField === 'add_time' ? r.addTime : 0);
    // Pipedrive filters by a person or an organization (`person_id`, `organization_id`): a number, or refused.
    const filters: [string, number][] = [];
    for (const name of ['person_id', 'organization_id']) {
      const value = q.get(name);
      if (value === null) continue;
      if (!/^\d+$/.test(value)) return invalid(`${name}: must be a number; got ${value}`);
      filters.push([name, Number(value)]);
    }
    const rows = store
      .all('leads')
      .filter((r) => sinceMs === undefined || r.updateTime >= sinceMs)
      .filter((r) => filters.every(([name, id]) => r.values[name] === id))
      .sort((a, b) => sign * (key(a) - key(b) || String(a.id).localeCompare(String(b.id))));
    const result = paged(req, rows);
    if ('error' in result) return result.error;
    return ok(
      result.page.map((r) => leadJson(r, store.schema)),
      { pagination: result.pagination },
    );
  });

  register('GET', '/api/v1/leads/:id', 'GET /api/v1/leads/:id', (req) => {
    const record = store.get('leads', req.params.id);
    return record ? ok(leadJson(record, store.schema)) : lead(req.params.id ?? '');
  });

  register('POST', '/api/v1/leads', 'POST /api/v1/leads', (req) => {
    const created = store.create('leads', bodyOf(req.json));
    return typeof created === 'string'
      ? fail(400, created)
      : ok(leadJson(created, store.schema), undefined, 201);
  });

  register('PATCH', '/api/v1/leads/:id', 'PATCH /api/v1/leads/:id', (req) => {
    const updated = store.update('leads', req.params.id ?? '', bodyOf(req.json));
    if (updated === undefined) return lead(req.params.id ?? '');
    return typeof updated === 'string' ? fail(400, updated) : ok(leadJson(updated, store.schema));
  });

  register('DELETE', '/api/v1/leads/:id', 'DELETE /api/v1/leads/:id', (req) => {
    const id = req.params.id ?? '';
    return store.delete('leads', id) ? ok({ id }) : lead(id);
  });

  register('GET', '/api/v1/leadLabels', 'GET /api/v1/leadLabels', () =>
    ok(LEAD_LABELS.map((l) => ({ ...l, add_time: leadTime(0), update_time: leadTime(0) }))),
  );

  for (const [object, endpoint] of Object.entries(FIELDS_ENDPOINT) as [PipedriveObject, string][]) {
    const path = `/api/v1/${endpoint}`;
    register('GET', path, `GET ${path}`, (req) => {
      const result = paged(req, store.schema.list(object));
      if ('error' in result) return result.error;
      return ok(
        result.page.map((def, i) => fieldJson(def, result.pagination.start + i + 1)),
        { pagination: result.pagination },
      );
    });
    if (object === 'leads') continue;
    register('POST', path, `POST ${path}`, (req) => {
      const body = bodyOf(req.json);
      const name = typeof body.name === 'string' ? body.name.trim() : '';
      if (name === '') return fail(400, 'Field name is required');
      const type = body.field_type;
      if (typeof type !== 'string' || !(CUSTOM_FIELD_TYPES as readonly string[]).includes(type)) {
        return fail(400, `Field type must be one of ${CUSTOM_FIELD_TYPES.join(', ')}`);
      }
      const options = Array.isArray(body.options)
        ? body.options.map((o) => (typeof o === 'string' ? o : (o as { label?: unknown })?.label))
        : undefined;
      if ((type === 'enum' || type === 'set') && (!options || options.length === 0)) {
        return fail(400, `Options are required for a field of type ${type}`);
      }
      if (options?.some((o) => typeof o !== 'string' || o === ''))
        return fail(400, 'Each option needs a label');
      const def = store.schema.create(object, {
        name,
        field_type: type,
        ...(options ? { options: options as string[] } : {}),
      });
      return ok(fieldJson(def, store.schema.list(object).length), undefined, 201);
    });
  }

  register('GET', '/api/v1/recents', 'GET /api/v1/recents', (req) => {
    const q = req.url.searchParams;
    const since = q.get('since_timestamp');
    const sinceMs = since === null ? undefined : parseTime(since);
    if (sinceMs === undefined) return fail(400, 'since_timestamp is required, as YYYY-MM-DD HH:MM:SS');
    const item = q.get('items') ?? 'person';
    const object = RECENT_ITEMS[item];
    if (!object) return fail(400, `items: unsupported item ${item}`);
    const rows = store
      .all(object)
      .filter((r) => Math.floor(r.updateTime / 1000) * 1000 >= sinceMs)
      .sort((a, b) => a.updateTime - b.updateTime || Number(a.id) - Number(b.id));
    const result = paged(req, rows);
    if ('error' in result) return result.error;
    const last = result.page.at(-1);
    return ok(
      result.page.map((r) => ({ item, id: r.id, data: recentJson(r) })),
      {
        since_timestamp: v1Time(sinceMs),
        last_timestamp_on_page: last ? v1Time(last.updateTime) : v1Time(sinceMs),
        pagination: result.pagination,
      },
    );
  });
}
