import type { PipedriveObject } from '../../connectors/pipedrive/standard-fields.ts';
import type { SandboxRequest } from '../kit/index.ts';
import type { PipedriveStore, StoredRecord } from './store.ts';
import { decodeCursor, encodeCursor, invalid, limitOf, ok, v2Time } from './wire.ts';

/** Which fields `GET /api/v2/:object/search?fields=` may name, by object. */
const SEARCH_FIELDS: Readonly<Record<PipedriveObject, readonly string[]>> = {
  persons: ['custom_fields', 'email', 'notes', 'phone', 'name'],
  organizations: ['address', 'custom_fields', 'notes', 'name'],
  deals: ['custom_fields', 'notes', 'title'],
  leads: ['custom_fields', 'notes', 'title'],
};

const TYPE: Readonly<Record<PipedriveObject, string>> = {
  persons: 'person',
  organizations: 'organization',
  deals: 'deal',
  leads: 'lead',
};

/**
 * `GET /api/v2/:object/search`: records whose named fields hold the term (`exact_match`: the whole value, ignoring
 * case). Custom fields are searched when `fields` names `custom_fields` (text-like ones only, as in Pipedrive).
 */
export function search(store: PipedriveStore, object: PipedriveObject, req: SandboxRequest) {
  const q = req.url.searchParams;
  const term = (q.get('term') ?? '').trim();
  const exact = q.get('exact_match') === 'true';
  if (term.length < (exact ? 1 : 2))
    return invalid('term: must be at least 2 characters long (1 with exact_match)');
  const allowed = SEARCH_FIELDS[object];
  const fields = q.get('fields')?.split(',') ?? allowed;
  const wrong = fields.find((f) => !allowed.includes(f));
  if (wrong) return invalid(`fields: must be a list of ${allowed.join(', ')}; got ${wrong}`);
  const limit = limitOf(req);
  if (typeof limit === 'string') return invalid(limit);
  const wanted = term.toLowerCase();
  const matches = (value: unknown) =>
    typeof value === 'string' &&
    (exact ? value.toLowerCase() === wanted : value.toLowerCase().includes(wanted));
  const textCustom = store.schema
    .custom(object)
    .filter((f) => ['varchar', 'varchar_auto', 'text', 'phone', 'address'].includes(f.field_type))
    .map((f) => f.key);
  const valuesOf = (r: StoredRecord, field: string): unknown[] => {
    if (field === 'email' || field === 'phone') {
      return ((r.values[`${field}s`] as { value: string }[] | undefined) ?? []).map((e) => e.value);
    }
    if (field === 'custom_fields') return textCustom.map((k) => r.custom[k]);
    if (field === 'address') return [(r.values.address as { value?: string } | undefined)?.value];
    return [r.values[field]];
  };
  // The search index trails writes by `searchLagMs`: a record changed since is found as it was, or not at all.
  const indexed = store.now() - store.searchLagMs;
  const found = store
    .all(object)
    .filter((r) => r.deletedAt === undefined && r.updateTime <= indexed)
    .filter((r) => fields.some((f) => valuesOf(r, f).some(matches)));
  const start = Number(decodeCursor(q.get('cursor') ?? '')?.[0] ?? 0);
  const page = found.slice(start, start + limit);
  return ok(
    {
      items: page.map((r) => ({
        result_score: 1,
        item: {
          id: r.id,
          type: TYPE[object],
          ...(object === 'deals' || object === 'leads' ? { title: r.values.title } : { name: r.values.name }),
          ...(object === 'persons'
            ? { emails: ((r.values.emails as { value: string }[] | undefined) ?? []).map((e) => e.value) }
            : {}),
          update_time: v2Time(r.updateTime),
        },
      })),
    },
    { next_cursor: found.length > start + limit ? encodeCursor([start + limit]) : null },
  );
}
